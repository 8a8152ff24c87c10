//! Deterministic randomness for unit tests: the `testing` feature's [`crate::testing::TestRng`]
//! (one implementation for the unit tests, the integration tests and the vectors).

pub(crate) use crate::testing::TestRng;
