vcl 4.1;
# The shared HTTP cache in front of the hubcms app servers (docker-compose's `varnish` service; the
# tests in website/tests/test_http_cache.py run this same file with the backend lines replaced).
#
# What it caches is decided by the app: anonymous website pages say `public, s-maxage=…`; signed-in
# users, previews, pages with a CSRF form and view-restricted pages say `private, no-store`.
# When content changes, the app (Wagtail's frontend-cache invalidation, website/cache.py)
# sends PURGE for each page that shows it; a PURGE bans that path with every query string, so the
# product library's searches and filters go with the library page.

backend default {
    .host = "app";
    .port = "8000";
    .connect_timeout = 5s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz/live";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        ban("obj.http.x-hubcms-path == " + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, both APIs (their own ETags), documents (privacy checked per request) and health.
    if (req.url ~ "^/(admin|_util|api|documenten|healthz)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Signed-in users and visitors who entered a page password have a session: never shared.
    if (req.http.Cookie ~ "(^|;\s*)(__Host-)?sessionid=") {
        return (pass);
    }
    # Anonymous: no cookie reaches the app, so no page is personalised by one.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Remembered on the object so that a PURGE can ban by path (objects keep no request).
    set beresp.http.x-hubcms-path = regsub(bereq.url, "\?.*$", "");
    # Set-Cookie, `private`, `no-store` and `no-cache` make a response uncacheable (Varnish's
    # built-in logic, which runs after this); nothing here overrides the app's decision.
}

sub vcl_deliver {
    unset resp.http.x-hubcms-path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
