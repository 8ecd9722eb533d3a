"""Draw the demo articles' hero images: soft, original abstract shapes.

The images are committed; run this only to change them:
``.venv/bin/python articles/demo/make_images.py``. Each is a small WebP
(well under 60 KB) so the repository stays light.
"""

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1200, 675)
IMAGES = {
    # name: (background top colour, background bottom colour, shape colours)
    "understanding-anxiety": ((222, 232, 240), (186, 206, 224), [(120, 150, 190), (240, 200, 170)]),
    "sleep-and-mood": ((40, 52, 92), (92, 84, 140), [(240, 226, 170), (150, 170, 220)]),
    "supporting-a-friend": ((246, 232, 214), (236, 204, 180), [(210, 120, 90), (120, 170, 150)]),
    "first-therapy-session": ((228, 238, 228), (196, 220, 204), [(90, 140, 120), (230, 210, 150)]),
    "living-with-grief": ((232, 228, 238), (204, 196, 218), [(130, 110, 160), (200, 180, 150)]),
    "recognising-burnout": ((248, 236, 220), (240, 210, 170), [(220, 140, 80), (110, 130, 160)]),
    "sleep-routine-diagram": ((246, 246, 250), (230, 234, 244), [(92, 84, 140), (240, 200, 120)]),
}


def gradient(top: tuple, bottom: tuple) -> Image.Image:
    image = Image.new("RGB", SIZE, top)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        t = y / (SIZE[1] - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE[0], y)], fill=colour)
    return image


def draw(name: str, top: tuple, bottom: tuple, colours: list[tuple]) -> Image.Image:
    rng = random.Random(name)  # the same picture every run
    image = gradient(top, bottom).convert("RGBA")
    for index in range(7):
        layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
        radius = rng.randint(90, 260)
        x, y = rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])
        colour = (*colours[index % len(colours)], rng.randint(70, 140))
        ImageDraw.Draw(layer).ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
        image = Image.alpha_composite(image, layer.filter(ImageFilter.GaussianBlur(24)))
    return image.convert("RGB")


def main() -> None:
    folder = Path(__file__).resolve().parent / "images"
    folder.mkdir(exist_ok=True)
    for name, (top, bottom, colours) in IMAGES.items():
        path = folder / f"{name}.webp"
        draw(name, top, bottom, colours).save(path, "WEBP", quality=85, method=6)
        print(f"{path.name}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
