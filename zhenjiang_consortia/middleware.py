from django.conf import settings


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
