// Swagger UI over this server's OpenAPI document. "Try it out" works with a Bearer token (Authorize) or, in a
// browser signed in to the web page, with its session cookie (the API then asks for the CSRF header on writes).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  requestInterceptor: (req) => {
    const m = document.cookie.match(/(?:^|; )vsa_csrf=([^;]*)/);
    if (m) req.headers["X-CSRF-Token"] = decodeURIComponent(m[1]);
    return req;
  },
});
