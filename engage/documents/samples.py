"""Plain PDFs made from text, for the demo content and the benchmark's documents (nothing a
person uploads goes through here)."""

import io
import textwrap

from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from .stamping import helvetica_font


def text_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A plain A4 PDF with the given text, one paragraph after another."""
    lines = [title, ""]
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, 85), ""]
    writer = PdfWriter()
    per_page = 48
    for start in range(0, len(lines), per_page):
        page = writer.add_blank_page(595, 842)
        ops = ["BT", "/F1 11 Tf", "14 TL", "60 770 Td"]
        for line in lines[start : start + per_page]:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped.encode('latin-1', 'replace').decode('latin-1')}) Tj T*")
        ops.append("ET")
        content = ContentStream(None, writer)
        content.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica_font()})}
        )
        page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
