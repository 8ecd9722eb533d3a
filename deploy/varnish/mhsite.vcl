# Varnish in front of mhsite: caches anonymous pages for as long as the app's
# s-maxage says, and drops exactly the pages a write touched when the app
# purges their tags (PAGE_CACHE_PURGE_BACKEND=varnish; docs/scaling.md).
# Needs varnish-modules (xkey). The backends live in backends.vcl beside this
# file: define them and `sub mhsite_backend`, which sets req.backend_hint.
vcl 4.1;

import xkey;

include "./backends.vcl";

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    call mhsite_backend;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "No xkey header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors and readers with a flash message always reach the app.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Every other page is the same for every reader.
    unset req.http.Cookie;
}

sub vcl_backend_response {
    # The app names each page's tags in Surrogate-Key; xkey indexes the xkey header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Cache-Control's s-maxage sets the TTL, stale-while-revalidate the grace;
    # keep serving a page for its stale-if-error time while the app is down.
    set beresp.keep = 1d;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
}
