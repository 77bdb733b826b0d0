/**
 * Replicas (issue 27): the one ordered log on Kafka that every replica's state changes travel on ({@link KafkaLog}),
 * generic over what the records hold; the update feature puts its commands there.
 */
package pk.gov.bisp.nser.server.cluster;
