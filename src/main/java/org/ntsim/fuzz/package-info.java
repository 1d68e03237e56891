/**
 * The native-call fuzzer: guest processes that call every service with hostile arguments, and
 * the checks run between calls. Its code is guest code: an exception it raises on a guest thread
 * is that guest's failure; one raised by the services it calls is the simulator's.
 */
@GuestCode
package org.ntsim.fuzz;

import org.ntsim.ke.GuestCode;
