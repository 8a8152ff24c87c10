//! Statements (in progress).
