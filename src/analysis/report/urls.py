"""Links the report may render: only absolute http(s) addresses from the data; anything else is text."""


def web_url(url) -> str:
    """``url`` if it is an absolute http(s) address, else '' (the page then shows the text without a
    link): a cited row's URL is data, and ``javascript:`` or ``data:`` links must never be clickable.

    >>> web_url("https://example.org/a"), web_url("javascript:alert(1)"), web_url(" HTTP://x.org "), web_url(None)
    ('https://example.org/a', '', 'HTTP://x.org', '')
    """
    from urllib.parse import urlparse

    text = str(url or "").strip()
    parsed = urlparse(text)
    return text if parsed.scheme.lower() in ("http", "https") and parsed.netloc else ""
