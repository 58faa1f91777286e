"""The default certificate layout and wording: the starting point administrators edit."""

# Placeholders only the layout has (the wording cannot contain images or itself).
LAYOUT_ONLY_PLACEHOLDERS = {
    "heading",
    "wording",
    "qr",
    "seal",
    "signature",
    "signatory",
    "verify_url",
    "training",
}

DEFAULT_LAYOUT = """<div class="frame">
  <h1 class="heading">{heading}</h1>
  <p class="serial">证书编号 No. {serial}</p>
  <div class="wording">{wording}</div>
  {training}
  <div class="foot">
    <div class="qr">{qr}<p>扫码验证真伪<br>{verify_url}</p></div>
    <div class="sign">{signature}<p>{signatory}</p></div>
    <div class="issuer">{seal}<p class="issuer-name">{issuer}</p>
      <p>{issue_date}</p></div>
  </div>
</div>"""

DEFAULT_CSS = """.frame { position: absolute; inset: 10mm; border: 3mm double #b8860b;
  padding: 14mm 20mm; }
.heading { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif;
  font-size: 34pt; text-align: center; color: #a8071a; letter-spacing: 0.4em;
  margin: 2mm 0 4mm; }
.serial { text-align: right; font-size: 9pt; color: #555; margin: 0; }
.wording { font-size: 16pt; line-height: 2; margin-top: 8mm; }
.wording p { text-indent: 2em; margin: 0; }
.training { width: 100%; border-collapse: collapse; font-size: 8pt;
  margin-top: 2mm; }
.training th, .training td { border-bottom: 0.2mm solid #ccc; padding: 0.6mm 2mm;
  text-align: left; }
.foot { position: absolute; left: 20mm; right: 20mm; bottom: 12mm; height: 45mm; }
.qr { position: absolute; left: 0; bottom: 0; width: 60mm; font-size: 7pt;
  color: #555; }
.qr img { width: 28mm; height: 28mm; }
.qr p { margin: 1mm 0 0; word-break: break-all; }
.sign { position: absolute; left: 40%; bottom: 0; text-align: center; }
.sign img { height: 16mm; }
.issuer { position: absolute; right: 0; bottom: 0; width: 70mm; text-align: center;
  font-size: 14pt; }
.issuer img { position: absolute; left: 12mm; bottom: -2mm; width: 42mm;
  opacity: 0.85; }
.issuer p { position: relative; margin: 1mm 0; }
"""

DEFAULT_WORDING = {
    "completion": (
        "{name}同志：\n"
        "于{year}年参加{organiser}举办的“{title}”，"
        "共{days}天、{hours}学时，经考核合格，准予结业，特发此证。"
    ),
    "annual": (
        "{name}同志（{community}）：\n"
        "{year}年度参加集中培训共{days}天、{hours}学时，"
        "达到社区工作者年度培训要求，特此证明。"
    ),
    "honour": (
        "{name}同志：\n"
        "自参加社区工作以来，扎根基层、服务群众，连续从事社区工作满{service_years}年，"
        "特发此证，以资表彰。"
    ),
    "medal": (
        "{name}同志：\n"
        "连续从事社区工作满{service_years}年，为社区建设作出了贡献，"
        "特颁发纪念奖章，并记录在案。"
    ),
    "course": (
        "{name}同志：\n"
        "于{completion_date}完成{organiser}开设的网络课程“{title}”全部学习，"
        "获得{hours}学时，准予结业，特发此证。"
    ),
}

DEFAULT_HEADING = {
    "completion": "结业证书",
    "annual": "年度培训合格证明",
    "honour": "荣誉证书",
    "medal": "奖章证书",
    "course": "结业证书",
}
