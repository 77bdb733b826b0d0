/**
 * Dictionary encoding of repetitive text (names, villages): each distinct string gets a dense id, stored in the
 * records as 3 bytes; the dictionary file holds the strings once.
 */
package pk.gov.bisp.nser.core.dict;
