//! One decision over 50, 500 and 5,000 technicians, and 500 open tickets
//! given out in one batch, on generated technicians spread over a city.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use netcrew_dispatch::{
    Availability, Booked, Calendar, Job, Settings, Span, Technician, WeekPattern, When,
    assign_batch, best, rank,
};
use netcrew_domain::{GeoPoint, service::Priority};
use uuid::Uuid;

const AREAS: u128 = 20;

/// A small deterministic generator, so every run sees the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn place(r: &mut Lcg) -> Option<GeoPoint> {
    GeoPoint::new(-6.95 + r.next() * 0.15, 107.55 + r.next() * 0.15).ok()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_796_000_000, 0).expect("time")
}

fn technicians(n: usize, r: &mut Lcg) -> Vec<Technician> {
    (0..n)
        .map(|i| {
            let home = place(r);
            let mut areas: Vec<Uuid> = (0..3)
                .map(|_| Uuid::from_u128((r.next() * AREAS as f64) as u128))
                .collect();
            areas.sort();
            areas.dedup();
            Technician {
                id: Uuid::from_u128(1_000_000 + i as u128),
                active: r.next() > 0.05,
                areas,
                skills: vec![(Uuid::from_u128(500), 1 + (r.next() * 5.0) as u8)],
                availability: Availability {
                    pattern: WeekPattern::standard(),
                    ..Default::default()
                },
                max_jobs_per_day: 6,
                day: (0..(r.next() * 4.0) as u16)
                    .map(|k| Booked {
                        start: 480 + k * 90,
                        place: place(r),
                        minutes: 60,
                    })
                    .collect(),
                last_known: home.map(|p| (p, now())),
                home,
            }
        })
        .collect()
}

fn job(i: usize, r: &mut Lcg) -> Job {
    Job {
        id: Uuid::from_u128(i as u128),
        area: Uuid::from_u128((r.next() * AREAS as f64) as u128),
        place: place(r),
        when: When::Window {
            date: day(),
            span: Span::hm((8, 0), (12, 0)).expect("span"),
        },
        minutes: 90,
        skill: Some((Uuid::from_u128(500), 2)),
        priority: Priority::ALL[(r.next() * 4.0) as usize % 4],
        due_in_minutes: Some((r.next() * 2000.0) as i64),
        repair: true,
        previous_technician: None,
        declined_by: Vec::new(),
        road: Default::default(),
    }
}

fn decisions(c: &mut Criterion) {
    let cal = Calendar::default();
    let s = Settings::default();
    let mut g = c.benchmark_group("one decision");
    for n in [50, 500, 5000] {
        let mut r = Lcg(n as u64);
        let techs = technicians(n, &mut r);
        let j = job(1, &mut r);
        g.bench_with_input(BenchmarkId::new("best", n), &techs, |b, techs| {
            b.iter(|| best(black_box(&j), techs, &cal, &s, now()))
        });
        g.bench_with_input(BenchmarkId::new("full ranking", n), &techs, |b, techs| {
            b.iter(|| rank(black_box(&j), techs, &cal, &s, now()))
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let cal = Calendar::default();
    let s = Settings::default();
    let mut r = Lcg(7);
    let techs = technicians(500, &mut r);
    let jobs: Vec<Job> = (0..500).map(|i| job(i, &mut r)).collect();
    c.bench_function("batch of 500 tickets over 500 technicians", |b| {
        b.iter_batched(
            || techs.clone(),
            |mut t| assign_batch(black_box(&jobs), &mut t, &cal, &s, now()),
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, decisions, batch);
criterion_main!(benches);
