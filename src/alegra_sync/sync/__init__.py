"""One sync run under the lock: the exactly-once protocol, the contacts, the state."""
