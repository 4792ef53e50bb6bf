/**
 * Telling the people who work with Habeas what happened: a question to the requester, the requester's answer, a
 * decision, a package ready, an assignment, an escalation, an overdue case. Each is kept in Habeas (the bell and the
 * notifications page, only ever the recipient's own) and e-mailed the way set-up links are; a message that could not
 * be e-mailed says why, to its recipient and to administrators. Account holders' notices are the disclosure module's.
 */
package org.habeas.notifications;
