import re


def page_without_csrf_token(response) -> str:
    """The page, with the per-response CSRF token (masked differently each time) left out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
