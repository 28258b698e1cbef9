"""Load-balancer trial (README.md beside this file): clients on their own loopback addresses → LB nginx (127.0.0.50:8703) → node nginx
(127.0.0.60:8702) → gunicorn (127.0.0.1:8701). 30 clients each fail one sign-in (a different guessed name each),
one client sends a forged X-Forwarded-For, then the real user signs in from another address. Prints the answers and
the addresses the audit log recorded."""

import http.client
import re
import sys
import urllib.parse

LB = ("127.0.0.50", 8703)


def request(source, method, path, body=None, cookies=None, headers=None):
    connection = http.client.HTTPConnection(*LB, source_address=(source, 0), timeout=30)
    all_headers = {"Host": "127.0.0.1"}
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    all_headers.update(headers or {})
    connection.request(method, path, body=urllib.parse.urlencode(body) if body is not None else None, headers=all_headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    jar = dict(cookies or {})
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return response.status, text, jar


def sign_in(source, username, password, headers=None):
    _, page, jar = request(source, "GET", "/accounts/login/", headers=headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, text, jar = request(source, "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username,
                                "password": password}, cookies=jar, headers={"Referer": "https://127.0.0.1/accounts/login/", **(headers or {})})
    return status


def main():
    user, password = sys.argv[1], sys.argv[2]
    answers = [sign_in(f"127.0.0.{101 + n}", f"guess{n}", "Wrong#guess1") for n in range(30)]
    print("30 failed sign-ins from 127.0.0.101-130:", {code: answers.count(code) for code in set(answers)})
    print("forged X-Forwarded-For from 127.0.0.140:", sign_in("127.0.0.140", "forger", "Wrong#guess1",
                                                             headers={"X-Forwarded-For": "6.6.6.6"}))
    print("the real user from 127.0.0.200:", sign_in("127.0.0.200", user, password))


main()
