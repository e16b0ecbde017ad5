//! The request log through `app()`: what it holds and what it must never hold. Its own test
//! binary because tracing caches, per call site, whether anyone listens: a test running in
//! parallel without a subscriber would switch the log lines off for this one.

mod support;

#[path = "perimeter/fixture.rs"]
#[allow(dead_code)]
mod fixture;
#[path = "perimeter/logs.rs"]
mod logs;
