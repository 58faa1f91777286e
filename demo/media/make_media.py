"""Regenerate lecture.webm, the demo lecture (60 s test pattern with a tone, VP9/Opus).

Run once by a developer: `pip install imageio-ffmpeg && python make_media.py`. The
platform itself never needs ffmpeg: the demo seed copies this file into storage.
"""

import subprocess
from pathlib import Path

import imageio_ffmpeg

HERE = Path(__file__).parent
subprocess.run(  # noqa: S603 - fixed argv (ffmpeg from imageio-ffmpeg)
    [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=15:duration=60",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=60",
        "-c:v",
        "libvpx-vp9",
        "-b:v",
        "45k",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
        "-g",
        "30",
        "-c:a",
        "libopus",
        "-b:a",
        "16k",
        str(HERE / "lecture.webm"),
    ],
    check=True,
)
