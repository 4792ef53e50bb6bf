/**
 * Trust in the sender: the call-backs that confirm a request out of band, the gate that keeps an unverified
 * emergency from being executed, and each agency's record as a sender.
 */
package org.habeas.trust;
