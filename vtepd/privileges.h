/* privileges.h -- the capabilities vtepd keeps when it runs as a user other
 * than root. */

#ifndef VTEPD_PRIVILEGES_H
#define VTEPD_PRIVILEGES_H 1

void privileges_drop_extra(void);

#endif /* privileges.h */
