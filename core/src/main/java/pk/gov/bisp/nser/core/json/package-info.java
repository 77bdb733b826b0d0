/**
 * The JSON shape of a household (import lines, exports, live updates), parsed with every bad field named: a
 * caller gets one {@link pk.gov.bisp.nser.core.json.FieldError} per problem, not just the first.
 */
package pk.gov.bisp.nser.core.json;
