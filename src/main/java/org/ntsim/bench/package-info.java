/**
 * The benchmarks: guest programs whose runs measure the simulator. Their code is guest code: an
 * exception it raises is the guest's failure, not the simulator's.
 */
@GuestCode
package org.ntsim.bench;

import org.ntsim.ke.GuestCode;
