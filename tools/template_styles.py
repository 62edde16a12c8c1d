"""House style of the bundled templates: fonts, heading styles, article numbering, bullets.

Used by ``tools/build_templates.py`` (and through it by ``drafter.monitoring.build_templates``).
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

NAVY = RGBColor(0x1F, 0x38, 0x64)
NUM_ID = 90
BULLET_NUM_ID = 91
PIECE_BASE = 1000  # numbering instance PIECE_BASE + N starts the piece's article at N (drafter.present.context)
PIECE_MAX = 99
SCHEMES = {
    "article": ("Article %1 –", "%1.%2", "%1.%2.%3"),
    "decimal": ("%1.", "%1.%2", "%1.%2.%3"),
    "piece": ("Article %1 –", "%1.%2", "%1.%2.%3"),
}


# --- styles and numbering -------------------------------------------------------------


def _drop_theme_fonts(element) -> None:
    rpr = element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)


def setup_styles(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.remove(rpr.find(qn("w:rFonts")))
    rpr.insert(
        0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>')
    )
    rpr.find(qn("w:lang")).set(qn("w:val"), "fr-FR")
    rpr.find(qn("w:sz")).set(qn("w:val"), "20")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "20")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")
    normal = styles["Normal"]
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size, before in (("Heading 1", 13, 18), ("Heading 2", 11, 12), ("Heading 3", 10, 10)):
        style = styles[name]
        _drop_theme_fonts(style.element)
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = NAVY
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for name, size in (("Title", 18), ("Subtitle", 12)):
        style = styles[name]
        _drop_theme_fonts(style.element)
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
        style.font.italic = False
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.space_after = Pt(6)
        ppr = style.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    styles["Title"].font.bold = True
    styles["List Bullet"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _level(
    ilvl: int,
    text: str,
    style: str | None,
    fmt: str = "decimal",
    indent: int = 0,
    hanging: int = 0,
    suffix: str = "space",
) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def setup_numbering(doc, scheme: str) -> None:
    numbering = doc.part.numbering_part.element
    abstracts = []
    if scheme != "none":
        texts = SCHEMES[scheme]
        levels = "".join(_level(i, texts[i], f"Heading{i + 1}") for i in range(3))
        abstracts.append((NUM_ID, levels))
    bullet = _level(0, "–", None, fmt="bullet", indent=567, hanging=283, suffix="tab")
    abstracts.append((BULLET_NUM_ID, bullet))
    first_num = numbering.find(qn("w:num"))
    for number, levels in abstracts:
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        )
        first_num.addprevious(abstract)
        numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>')
        )
    if scheme == "piece":
        for article in range(1, PIECE_MAX + 1):
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{PIECE_BASE + article}"><w:abstractNumId w:val="{NUM_ID}"/>'
                    f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{article}"/></w:lvlOverride></w:num>'
                )
            )
    styles = doc.styles
    if scheme not in ("none", "piece"):
        for i in range(3):
            ppr = styles[f"Heading {i + 1}"].element.get_or_add_pPr()
            ppr.insert(
                0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{i}"/><w:numId w:val="{NUM_ID}"/></w:numPr>')
            )
    bullet_ppr = styles["List Bullet"].element.get_or_add_pPr()
    bullet_ppr.find(qn("w:numPr")).find(qn("w:numId")).set(qn("w:val"), str(BULLET_NUM_ID))
