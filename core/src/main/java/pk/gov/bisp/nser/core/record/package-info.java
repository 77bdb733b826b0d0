/**
 * The compact binary household record: its layout ({@link pk.gov.bisp.nser.core.record.RecordLayout}, spec in
 * RECORD-FORMAT.md beside the sources), the encoder, and the {@link pk.gov.bisp.nser.core.record.HouseholdRecord}
 * flyweight that reads one field without decoding the rest.
 */
package pk.gov.bisp.nser.core.record;
