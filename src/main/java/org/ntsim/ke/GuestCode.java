package org.ntsim.ke;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a package of ntsim's own sources whose code runs as a guest of the simulated system
 * (programs and drivers), not as part of the simulator: an exception it raises is the guest's
 * failure, never a {@link KernelInternalError}. Put on the package in its {@code package-info.java};
 * it covers the package's subpackages too. See {@link CodeOrigin}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PACKAGE)
public @interface GuestCode {}
