/**
 * CNIC and B-Form numbers: parsing {@code 12345-1234567-1} or 13 plain digits into a long, and formatting back.
 */
package pk.gov.bisp.nser.core.cnic;
