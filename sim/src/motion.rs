//! Joint-space trajectories with speed and acceleration limits.
//!
//! A [`Trajectory`] runs through joint-space waypoints, evenly spaced in a path
//! parameter s ∈ [0, 1], and times s with a trapezoidal profile chosen so that no
//! joint exceeds its speed or acceleration limit (and, for straight-line tool moves,
//! the tool does not exceed its speed limit).

/// A timed path through joint space.
#[derive(Debug, Clone)]
pub struct Trajectory {
    waypoints: Vec<Vec<f64>>,
    profile: Trapezoid,
}

impl Trajectory {
    /// A trajectory through `waypoints` (at least one). `max_speed` and `max_accel` are
    /// per joint; `max_s_speed` optionally caps ds/dt (1/s) further.
    pub fn new(
        waypoints: Vec<Vec<f64>>,
        max_speed: &[f64],
        max_accel: &[f64],
        max_s_speed: Option<f64>,
    ) -> Trajectory {
        assert!(!waypoints.is_empty(), "a trajectory needs a waypoint");
        let segments = waypoints.len().saturating_sub(1).max(1) as f64;
        // Largest |dq/ds| of each joint over all segments.
        let mut slope = vec![0.0f64; max_speed.len()];
        for pair in waypoints.windows(2) {
            for (j, s) in slope.iter_mut().enumerate() {
                *s = s.max((pair[1][j] - pair[0][j]).abs() * segments);
            }
        }
        let limit = |bounds: &[f64]| {
            slope
                .iter()
                .zip(bounds)
                .filter(|(s, _)| **s > 1e-12)
                .map(|(s, b)| b / s)
                .fold(f64::INFINITY, f64::min)
        };
        let mut speed = limit(max_speed);
        if let Some(cap) = max_s_speed {
            speed = speed.min(cap);
        }
        let profile = Trapezoid::new(speed, limit(max_accel));
        Trajectory { waypoints, profile }
    }

    /// Total duration in seconds.
    pub fn duration_s(&self) -> f64 {
        self.profile.duration_s
    }

    /// The last waypoint.
    pub fn goal(&self) -> &[f64] {
        self.waypoints.last().expect("non-empty")
    }

    /// Joint angles and velocities at time `t_s` (clamped to the trajectory's span).
    pub fn sample(&self, t_s: f64) -> (Vec<f64>, Vec<f64>) {
        let (s, s_dot) = self.profile.sample(t_s);
        let segments = self.waypoints.len() - 1;
        if segments == 0 {
            let q = self.waypoints[0].clone();
            let zeros = vec![0.0; q.len()];
            return (q, zeros);
        }
        let x = s * segments as f64;
        let k = (x.floor() as usize).min(segments - 1);
        let frac = x - k as f64;
        let (a, b) = (&self.waypoints[k], &self.waypoints[k + 1]);
        let q = a.iter().zip(b).map(|(a, b)| a + (b - a) * frac).collect();
        let q_dot = a
            .iter()
            .zip(b)
            .map(|(a, b)| (b - a) * segments as f64 * s_dot)
            .collect();
        (q, q_dot)
    }
}

/// A trapezoidal (or triangular) velocity profile moving s from 0 to 1.
#[derive(Debug, Clone, Copy)]
struct Trapezoid {
    accel: f64,
    peak_speed: f64,
    accel_time_s: f64,
    duration_s: f64,
}

impl Trapezoid {
    fn new(max_speed: f64, max_accel: f64) -> Trapezoid {
        if !max_speed.is_finite() || !max_accel.is_finite() {
            // Nothing moves: a zero-length trajectory.
            return Trapezoid {
                accel: 1.0,
                peak_speed: 0.0,
                accel_time_s: 0.0,
                duration_s: 0.0,
            };
        }
        if max_speed * max_speed / max_accel >= 1.0 {
            // Triangle: accelerate to the middle, then brake.
            let accel_time_s = (1.0 / max_accel).sqrt();
            Trapezoid {
                accel: max_accel,
                peak_speed: max_accel * accel_time_s,
                accel_time_s,
                duration_s: 2.0 * accel_time_s,
            }
        } else {
            let accel_time_s = max_speed / max_accel;
            let cruise_s = (1.0 - max_speed * accel_time_s) / max_speed;
            Trapezoid {
                accel: max_accel,
                peak_speed: max_speed,
                accel_time_s,
                duration_s: 2.0 * accel_time_s + cruise_s,
            }
        }
    }

    /// s and ds/dt at time t.
    fn sample(&self, t: f64) -> (f64, f64) {
        if self.duration_s <= 0.0 {
            return (1.0, 0.0);
        }
        let t = t.clamp(0.0, self.duration_s);
        let ta = self.accel_time_s;
        if t < ta {
            (0.5 * self.accel * t * t, self.accel * t)
        } else if t <= self.duration_s - ta {
            (
                0.5 * self.accel * ta * ta + self.peak_speed * (t - ta),
                self.peak_speed,
            )
        } else {
            let left = self.duration_s - t;
            (1.0 - 0.5 * self.accel * left * left, self.accel * left)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trajectory_starts_and_ends_at_its_waypoints_within_limits() {
        let traj = Trajectory::new(
            vec![vec![0.0, 0.0], vec![1.0, -0.5]],
            &[1.0, 1.0],
            &[2.0, 2.0],
            None,
        );
        assert_eq!(traj.sample(0.0).0, vec![0.0, 0.0]);
        let (end, end_vel) = traj.sample(traj.duration_s());
        assert!((end[0] - 1.0).abs() < 1e-12 && (end[1] + 0.5).abs() < 1e-12);
        assert!(end_vel.iter().all(|v| v.abs() < 1e-9));
        // Joint 0 limits the motion: 1 rad at 1 rad/s and 2 rad/s² takes 1.5 s.
        assert!((traj.duration_s() - 1.5).abs() < 1e-9);
        let dt = 1e-3;
        let mut prev = traj.sample(0.0).1;
        for i in 1..=1500 {
            let (_, vel) = traj.sample(i as f64 * dt);
            for j in 0..2 {
                assert!(vel[j].abs() <= 1.0 + 1e-9, "speed limit");
                assert!((vel[j] - prev[j]).abs() / dt <= 2.0 + 1e-6, "accel limit");
            }
            prev = vel;
        }
    }

    #[test]
    fn short_moves_use_a_triangle_profile() {
        let traj = Trajectory::new(vec![vec![0.0], vec![0.01]], &[1.0], &[1.0], None);
        assert!((traj.duration_s() - 0.2).abs() < 1e-9);
        let zero = Trajectory::new(vec![vec![0.3], vec![0.3]], &[1.0], &[1.0], None);
        assert_eq!(zero.duration_s(), 0.0);
        assert_eq!(zero.sample(5.0).0, vec![0.3]);
    }
}
