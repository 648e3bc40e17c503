"""Render a PDF's pages side by side into one PNG, to look at a whole document at once.

python tools/contact_sheet.py out/films/red-rooms/presskit.pdf /tmp/sheet.png [--dpi 40] [--cols 5]
"""

import argparse

import pypdfium2 as pdfium
from PIL import Image


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf")
    parser.add_argument("png")
    parser.add_argument("--dpi", type=float, default=40)
    parser.add_argument("--cols", type=int, default=5)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--last", type=int, default=0)
    args = parser.parse_args()
    pdf = pdfium.PdfDocument(args.pdf)
    last = args.last or len(pdf)
    pages = [pdf[i].render(scale=args.dpi / 72).to_pil() for i in range(args.first - 1, last)]
    w = max(p.width for p in pages)
    h = max(p.height for p in pages)
    cols = min(args.cols, len(pages))
    rows = (len(pages) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * (w + 8) + 8, rows * (h + 8) + 8), (128, 128, 128))
    for i, page in enumerate(pages):
        sheet.paste(page, (8 + (i % cols) * (w + 8), 8 + (i // cols) * (h + 8)))
    sheet.save(args.png)


if __name__ == "__main__":
    main()
