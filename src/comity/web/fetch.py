"""Fetch an article's page for the HTTP API: only public http(s) addresses, redirects re-checked by hand.

The server fetches nothing unless it was started with ``--allow-fetch`` (``create_app(allow_fetch=True)``).
When it does, a URL is refused before any connection is made if its scheme is not http or https, if it
carries credentials (``user:pw@``), or if ANY address its host resolves to is private, loopback,
link-local, multicast, reserved, unspecified or otherwise not global (``ipaddress``). The connection then
goes to an address that was checked (the name is not resolved a second time, so a DNS answer that changes
in between cannot lead it elsewhere), with TLS still verified against the host name. Redirects (at most
:data:`MAX_REDIRECTS`) are followed by hand and each hop is checked the same way. The page is read up to
:data:`MAX_PAGE_BYTES` within :data:`TIMEOUT` seconds in all, and only HTML is taken.

Proxies from the environment are not used: a proxy would make the address checks meaningless.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .. import __version__

#: Redirects followed, each re-checked; one more is refused.
MAX_REDIRECTS = 3
#: The most bytes of a page read (after decompression); a bigger page is refused.
MAX_PAGE_BYTES = 5 * 1024 * 1024
#: Seconds for the whole fetch: resolving, connecting, every redirect and reading the page.
TIMEOUT = 15.0
#: The longest URL taken.
MAX_URL = 2048

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A page that was not fetched, with the reason. ``status`` is the HTTP status the API answers with."""

    status = 400


class FetchRefused(FetchError):
    """A URL refused before any connection: its scheme, its credentials or its addresses."""


class FetchOff(FetchError):
    """Fetching is not enabled on this server."""

    status = 403


@dataclass
class Page:
    """A fetched page: the URL it was finally read from, its bytes and its content type."""

    url: str
    body: bytes
    content_type: str


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def why_not_public(ip: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why ``ip`` may not be fetched from (None when it is a public address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
            return why_not_public(ip.ipv4_mapped, allow_loopback=allow_loopback)
        if ip.sixtofour is not None and why_not_public(ip.sixtofour) is not None:
            return "a 6to4 address of a private one"
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    for name in ("unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if not ip.is_global:
        return "not a public address"
    return None


class Fetcher:
    """Fetches public pages. ``allow_loopback`` lets it reach 127.0.0.1 and ::1 too: for tests against a
    local server only, never for a server that others can reach."""

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_PAGE_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        allow_loopback: bool = False,
        resolver: Resolver = resolve,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow_loopback = allow_loopback
        self.resolver = resolver

    # -- checks ----------------------------------------------------------------------------------
    def check(self, url: str) -> tuple[str, str, int, str, list[str]]:
        """``(scheme, host, port, path, addresses)`` for a URL that may be fetched; :class:`FetchRefused`
        otherwise. Resolves the host name, connects to nothing."""
        shown = url if len(url) <= 200 else url[:200] + "..."

        def refuse(reason: str) -> FetchRefused:
            return FetchRefused(f"refused to fetch {shown!r}: {reason}")

        if len(url) > MAX_URL:
            raise refuse(f"the URL is too long ({len(url)} characters > {MAX_URL})")
        if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
            raise refuse("the URL has blanks or control characters in it")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise refuse(f"not a URL that can be fetched ({exc})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise refuse(f"only http and https URLs are fetched, not {scheme or 'a URL without scheme'}")
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise refuse("URLs with credentials (user:password@) are refused")
        host = parts.hostname
        if not host:
            raise refuse("the URL names no host")
        if port == 0:
            raise refuse("port 0 is no port to fetch from")
        port = port if port is not None else (443 if scheme == "https" else 80)
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                host.encode("idna")
                addresses = self.resolver(host, port)
            except (UnicodeError, OSError) as exc:
                raise refuse(f"cannot resolve the host {host!r} ({exc})") from None
            if not addresses:
                raise refuse(f"the host {host!r} has no address")
        for address in addresses:
            try:
                ip = ipaddress.ip_address(address.split("%", 1)[0])
            except ValueError:
                raise refuse(f"the host {host!r} resolves to {address!r}, not an address") from None
            reason = why_not_public(ip, allow_loopback=self.allow_loopback)
            if reason is not None:
                raise refuse(f"{host!r} is {address} ({reason}); only public addresses are fetched")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return scheme, host, port, path, addresses

    # -- fetching --------------------------------------------------------------------------------
    def __call__(self, url: str) -> Page:
        """The page at ``url``, following at most ``max_redirects`` redirects, each re-checked."""
        deadline = time.monotonic() + self.timeout
        for _hop in range(self.max_redirects + 1):
            scheme, host, port, path, addresses = self.check(url)
            status, headers, body = self._get(scheme, host, port, path, addresses, deadline)
            if status in REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise FetchError(f"the page answered {status} without a Location to go to")
                url = urljoin(url, location.strip())
                continue
            if status != 200:
                raise FetchError(f"the page answered HTTP {status}, not 200")
            content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if content_type not in HTML_TYPES:
                raise FetchError(f"not an HTML page (content type {content_type or 'none'!r})")
            return Page(url, body, content_type)
        raise FetchError(f"too many redirects (more than {self.max_redirects})")

    def _connect(
        self, scheme: str, host: str, port: int, addresses: list[str], deadline: float
    ) -> socket.socket:
        last: OSError | None = None
        for address in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                sock = socket.create_connection((address, port), timeout=remaining)
            except OSError as exc:
                last = exc
                continue
            if scheme == "https":
                try:
                    sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
                except (OSError, ValueError):
                    sock.close()
                    raise
            return sock
        if last is not None:
            raise last
        raise TimeoutError("timed out")

    def _get(
        self, scheme: str, host: str, port: int, path: str, addresses: list[str], deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        try:
            sock = self._connect(scheme, host, port, addresses, deadline)
        except (OSError, ValueError) as exc:
            raise FetchError(f"cannot connect to {host}: {exc}") from None
        conn = http.client.HTTPConnection(host, port)
        conn.sock = sock  # connected to the checked address: http.client does not resolve again
        try:
            default = 443 if scheme == "https" else 80
            name = f"[{host}]" if ":" in host else host
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", name if port == default else f"{name}:{port}")
            conn.putheader("User-Agent", f"comity/{__version__} (article fetch)")
            conn.putheader("Accept", "text/html,application/xhtml+xml;q=0.9")
            conn.putheader("Accept-Encoding", "gzip, deflate, identity")
            conn.putheader("Connection", "close")
            conn.endheaders()
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            response = conn.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            if response.status != 200:  # a redirect, or an error: the body is not wanted
                return response.status, headers, b""
            return response.status, headers, self._read(response, headers, sock, deadline)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                raise FetchError(f"fetching the page timed out (limit {self.timeout:g} s)") from None
            raise FetchError(f"cannot fetch the page: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()

    def _read(
        self,
        response: http.client.HTTPResponse,
        headers: dict[str, str],
        sock: socket.socket,
        deadline: float,
    ) -> bytes:
        limit = self.max_bytes
        too_big = f"the page is too large (limit {limit:,} bytes)"
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > limit:
            raise FetchError(too_big)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"the page is encoded as {encoding!r}, which is not read")
        inflate = None if encoding in ("", "identity") else zlib.decompressobj(47)  # gzip or zlib header
        out = bytearray()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"fetching the page timed out (limit {self.timeout:g} s)")
            sock.settimeout(remaining)
            chunk = response.read1(65536)
            if not chunk:
                break
            if inflate is not None:
                try:
                    chunk = inflate.decompress(chunk, limit + 1 - len(out))
                except zlib.error as exc:
                    raise FetchError(f"the page's compression is broken: {exc}") from None
            out += chunk
            if len(out) > limit:
                raise FetchError(too_big)
        return bytes(out)
