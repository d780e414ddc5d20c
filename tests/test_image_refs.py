"""Finding an article's pictures in its Markdown, and the text without them."""

from __future__ import annotations

from newsreader.images.refs import ImageRef, find_image_refs, without_images

ARTICLE = """# Floods in the valley

The river rose overnight. ![The bridge at dawn](https://img.example/bridge.jpg "Photo: A. Lee")

![](https://img.example/map.png)

- a list item with ![a chart](https://img.example/chart.webp)

```
![not a picture](https://img.example/code.png)
```

[![Watch the video](https://img.example/thumb.jpg)](https://video.example/v)
"""


def test_pictures_are_found_in_reading_order_with_their_lines() -> None:
    refs = find_image_refs(ARTICLE)
    assert [ref.url for ref in refs] == [
        "https://img.example/bridge.jpg",
        "https://img.example/map.png",
        "https://img.example/chart.webp",
        "https://img.example/thumb.jpg",
    ]
    assert [ref.index for ref in refs] == [0, 1, 2, 3]
    assert refs[0] == ImageRef(
        0,
        "https://img.example/bridge.jpg",
        alt="The bridge at dawn",
        title="Photo: A. Lee",
        line=2,
        block_start=2,
        block_end=3,
    )
    assert refs[0].caption == "Photo: A. Lee"
    assert refs[1].alt == "" and refs[1].line == 4
    assert refs[2].alt == "a chart" and refs[2].caption == "a chart"
    assert (refs[2].line, refs[2].block_start) == (6, 6)  # inside the list that starts there
    assert refs[3].line == 12


def test_no_pictures() -> None:
    assert find_image_refs("Just *words* and a [link](https://example.org/).") == []


def test_without_images_keeps_lines_links_and_code() -> None:
    text = without_images(ARTICLE)
    assert text.count("\n") == ARTICLE.count("\n")
    assert "bridge.jpg" not in text and "map.png" not in text and "chart.webp" not in text
    assert "The river rose overnight." in text
    assert "![not a picture](https://img.example/code.png)" in text  # code stays as written
    assert "[Watch the video](https://video.example/v)" in text
    assert find_image_refs(text) == []
