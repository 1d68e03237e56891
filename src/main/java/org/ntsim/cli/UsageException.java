package org.ntsim.cli;

/**
 * A mistake in a command's arguments found after parsing (a lab that does not exist, two options
 * that do not fit together): Main prints its message as one line on standard error, with exit
 * status 2.
 */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message, null, false, false);
  }
}
