/**
 * The pages people look at rather than call: {@code /statistics} (charts of {@code /v1/stats}), {@code /docs}
 * (Swagger UI on {@code /openapi.yaml}) and what pages load, {@code /assets/{file}}: the Urdu font, Swagger UI
 * and ECharts from their webjars, and the pages' own scripts. Everything is served by the server itself.
 */
package pk.gov.bisp.nser.server.pages;
