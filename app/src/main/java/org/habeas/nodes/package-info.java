/**
 * Several Habeas nodes on one database: each node's name, and the database leases that keep each scheduled job to
 * one node at a time.
 */
package org.habeas.nodes;
