// /docs: Swagger UI on this server's OpenAPI document. No validator badge (it would call a third-party host).
window.addEventListener('DOMContentLoaded', function () {
  'use strict';
  window.ui = SwaggerUIBundle({
    url: '/openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'list',
    displayRequestDuration: true,
    persistAuthorization: false
  });
});
