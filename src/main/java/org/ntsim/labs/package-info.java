/**
 * The labs: guest programs run on the simulated system, and the reports made from their runs.
 * Their code is guest code: an exception it raises ends its process as an unhandled exception
 * (STATUS_UNHANDLED_EXCEPTION), not the simulator.
 */
@GuestCode
package org.ntsim.labs;

import org.ntsim.ke.GuestCode;
