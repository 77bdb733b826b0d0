/** Small text helpers shared by every module: quoting caller input back safely. */
package pk.gov.bisp.nser.core.text;
