//! Seeded draws: the same seed and index give the same number on every
//! thread, instance and machine, with no state to share. Mixed tasks'
//! compute sizes and the latency source's delays and failures draw here;
//! what a draw means is theirs.

/// SplitMix64's output function: a well-mixed u64 from any u64.
pub fn split_mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What a draw is for: each purpose its own stream, so drawing a latency
/// does not move a task's compute size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    ComputeSize = 0,
    Latency = 1,
    LatencyAngle = 2,
    Failure = 3,
}

/// A uniform draw in [0, 1) for `index` of `stream` under `seed`. The
/// compute-size stream is the draw mixed tasks made before streams existed,
/// so a seed picks the same tasks as it did.
pub fn unit(seed: u64, stream: Stream, index: u64) -> f64 {
    let salted = match stream {
        Stream::ComputeSize => seed,
        other => seed ^ split_mix(0x5eed_0000 + other as u64),
    };
    (split_mix(salted ^ split_mix(index)) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_repeat_differ_by_stream_and_look_uniform() {
        assert_eq!(unit(7, Stream::Latency, 3), unit(7, Stream::Latency, 3));
        assert_ne!(unit(7, Stream::Latency, 3), unit(7, Stream::Failure, 3));
        let draws: Vec<f64> = (0..10_000).map(|i| unit(1, Stream::Failure, i)).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let below_tenth = draws.iter().filter(|d| **d < 0.1).count();
        assert!((850..1150).contains(&below_tenth), "{below_tenth}");
    }
}
