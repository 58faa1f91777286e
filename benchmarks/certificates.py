"""Certificates per second: the bulk path (chunked WeasyPrint documents split into one
PDF per certificate) against the naive one-`HTML().write_pdf()`-per-certificate path,
measured in the same run on the same data with the default template.

    .venv/bin/python benchmarks/certificates.py [--count 200] [--naive 20] [--chunk 40]
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from pypdf import PdfReader  # noqa: E402

from certificates import pdf  # noqa: E402
from certificates.layout import (  # noqa: E402
    DEFAULT_CSS,
    DEFAULT_LAYOUT,
    DEFAULT_WORDING,
)
from certificates.rules import new_serial  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鹏辉晨欣怡宇轩浩然子涵梓萱思远雨婷佳琪俊志建国德淑珍丹凤文博晓东海"


def items(count: int):
    out = []
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        if i % 2:
            name += GIVEN[(i * 13) % len(GIVEN)]
        serial = str(new_serial("SQ", 2026))
        out.append(
            pdf.CertificateData(
                serial=serial,
                verify_url=f"https://training.example.org/verify/{serial}/",
                values={
                    "name": name,
                    "title": f"社区工作者岗位能力提升培训班（第{i % 12 + 1}期）",
                    "days": "3",
                    "hours": "18",
                    "year": "2026",
                    "issue_date": "2026年11月24日",
                    "organiser": "示范市民政局",
                    "community": "幸福里社区",
                },
            )
        )
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=40)
    args = parser.parse_args()
    template = pdf.TemplateData(
        layout_html=DEFAULT_LAYOUT,
        css=DEFAULT_CSS,
        orientation="landscape",
        heading="结业证书",
        wording=DEFAULT_WORDING["completion"],
        issuer_name="示范市民政局",
    )
    data = items(args.count)
    pdf.render_naive(template, data[0])  # warm-up: fontconfig, imports

    started, cpu = time.perf_counter(), time.process_time()
    for item in data[: args.naive]:
        pdf.render_naive(template, item)
    naive_rate = args.naive / (time.perf_counter() - started)
    naive_cpu = args.naive / (time.process_time() - cpu)

    started, cpu = time.perf_counter(), time.process_time()
    files = pdf.render_batch(template, data, chunk_size=args.chunk)
    bulk_rate = len(files) / (time.perf_counter() - started)
    bulk_cpu = len(files) / (time.process_time() - cpu)

    # Every output is a real, one-page, searchable PDF of its own certificate.
    for content, item in zip(files, data):
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert item.values["name"] in text and item.serial in text, item.serial
    size = sum(len(f) for f in files) / len(files)
    # Wall-clock rates depend on what else the machine runs; the rate per CPU
    # second is what one worker process achieves with a core to itself.
    print(
        f"naive (one write_pdf per certificate): {naive_rate:6.1f} certificates/s "
        f"wall, {naive_cpu:6.1f} per CPU second"
    )
    print(
        f"bulk  (chunks of {args.chunk}, split per page): {bulk_rate:6.1f} "
        f"certificates/s wall, {bulk_cpu:6.1f} per CPU second "
        f"({len(files)} PDFs, {size / 1024:.0f} KiB each)"
    )
    print(
        f"ratio bulk/naive: {bulk_rate / naive_rate:.1f}x wall, "
        f"{bulk_cpu / naive_cpu:.1f}x CPU"
    )


if __name__ == "__main__":
    main()
