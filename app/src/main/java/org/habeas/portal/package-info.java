/**
 * The requester portal: an agency's officer files a request through a form with a live safeguards pre-check,
 * attaches the legal order, and follows the status of the agency's requests.
 */
package org.habeas.portal;
