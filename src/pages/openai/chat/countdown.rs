//! A seconds countdown for `Retry-After`: one timer tick a second, stopped at zero and when the page goes.

use std::time::Duration;

use leptos::prelude::*;

/// Seconds left before the server accepts requests again.
#[derive(Clone, Copy)]
pub struct Countdown {
    left: RwSignal<u64>,
    timer: StoredValue<Option<IntervalHandle>>,
}

/// Whole seconds, rounded up so the countdown never reaches 0 before the server's time is over.
pub fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl Countdown {
    pub fn new() -> Countdown {
        let countdown = Countdown {
            left: RwSignal::new(0),
            timer: StoredValue::new(None),
        };
        on_cleanup(move || countdown.cancel());
        countdown
    }

    /// Seconds left (tracked).
    pub fn left(self) -> u64 {
        self.left.get()
    }

    pub fn start(self, wait: Duration) {
        self.cancel();
        let seconds = whole_seconds(wait);
        self.left.set(seconds);
        if seconds == 0 {
            return;
        }
        let tick = move || {
            let left = self
                .left
                .try_get_untracked()
                .unwrap_or_default()
                .saturating_sub(1);
            self.left.set(left);
            if left == 0 {
                self.cancel();
            }
        };
        let handle = set_interval_with_handle(tick, Duration::from_secs(1)).ok();
        self.timer.try_update_value(|timer| *timer = handle);
    }

    fn cancel(self) {
        if let Some(Some(handle)) = self.timer.try_update_value(Option::take) {
            handle.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::whole_seconds;
    use std::time::Duration;

    #[test]
    fn rounds_up() {
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
        assert_eq!(whole_seconds(Duration::from_millis(2100)), 3);
        assert_eq!(whole_seconds(Duration::ZERO), 0);
    }
}
