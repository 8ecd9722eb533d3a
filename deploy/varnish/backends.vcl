# One app server; list more and use a director (vmod directors) for several.
backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
}

sub mhsite_backend {
    set req.backend_hint = app1;
}
