from django.conf import settings
from django.utils.cache import cc_delim_re


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy, switching off the browser features in settings.PERMISSIONS_POLICY
    (camera, microphone, geolocation …) for the portal's pages and anything they might embed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class DropNulFromAdminQueryMiddleware:
    """Drops NUL characters from the query string of the Django admin's pages.

    A NUL means nothing in a search, a filter or a page number, and PostgreSQL refuses it in any text it
    compares ("A string literal cannot contain NUL"): a filter such as ?role__exact=%00 in the admin would
    end in a server error, and the admin's list filters cannot explain anything beside a field. The
    portal's own filter forms refuse a NUL beside the field instead, and forms (POST) keep their NULs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if request.path.startswith("/admin/") and ("\x00" in query or "%00" in query):
            cleaned = request.GET.copy()
            for key in list(cleaned):
                values = [value.replace("\x00", "") for value in cleaned.getlist(key)]
                del cleaned[key]
                cleaned.setlist(key.replace("\x00", ""), values)
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class NoCookieOnSharedCacheMiddleware:
    """Takes every Set-Cookie off a response that a shared cache may keep (Cache-Control: public), and
    Cookie off its Vary: the same copy is handed to everyone, so it must carry nobody's cookie.

    Goes before (outside) SessionMiddleware, CSRF and messages: a signed-in visitor's session cookie,
    re-set by the session machinery on the public 公示 page, would otherwise be stored with the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = {part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
        if "public" in directives:
            response.cookies.clear()
            if response.has_header("Vary"):
                kept = [field for field in cc_delim_re.split(response["Vary"]) if field.strip().lower() != "cookie"]
                if kept:
                    response["Vary"] = ", ".join(kept)
                else:
                    del response["Vary"]
        return response
