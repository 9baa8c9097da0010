//! The side panel (bevy_egui): what was run and how it went, beside the scene — the
//! program with the line being executed highlighted, the attempts (each with its error
//! or verdict; click one to jump to it), what the robot said and printed, and the
//! transport: play/pause, speed, a scrub bar with simulated time, and "live" to follow a
//! running run.

use crate::feed::Feed;
use crate::stage::{Clock, SceneCamera};
use bevy::camera::Viewport;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui::{Color32, RichText};
use wand_sim::playback::{self, SPEED_RANGE};
use wand_sim::recording::{Attempt, Outcome};

/// The panel's width, logical pixels.
const PANEL_WIDTH: f32 = 420.0;
/// The speeds offered: from the slowest to the fastest of [`SPEED_RANGE`], doubling.
const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
const _: () = assert!(SPEEDS[0] == SPEED_RANGE.0 && SPEEDS[5] == SPEED_RANGE.1);

const LINE_NOW: Color32 = Color32::from_rgb(255, 236, 150);
const LINE_ERROR: Color32 = Color32::from_rgb(255, 190, 185);
const PASSED: Color32 = Color32::from_rgb(20, 130, 50);
const FAILED: Color32 = Color32::from_rgb(190, 40, 30);

pub struct PanelPlugin;

impl Plugin for PanelPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(EguiPrimaryContextPass, draw);
    }
}

/// The program line the panel last scrolled to (it scrolls only when that changes).
#[derive(Default)]
struct Scrolled(Option<(usize, u32)>);

fn draw(
    mut contexts: EguiContexts,
    feed: Res<Feed>,
    mut clock: ResMut<Clock>,
    mut cameras: Query<&mut Camera, With<SceneCamera>>,
    mut scrolled: Local<Scrolled>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    ctx.set_theme(egui::Theme::Light);
    let mut root = egui::Ui::new(
        ctx.clone(),
        "viewport".into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let width = egui::Panel::left("wand")
        .resizable(true)
        .default_size(PANEL_WIDTH)
        .show(&mut root, |ui| {
            contents(ui, &feed, &mut clock, &mut scrolled)
        })
        .response
        .rect
        .width();
    // The scene is drawn beside the panel, not under it.
    let panel_px = (width * ctx.pixels_per_point()).round() as u32;
    for mut camera in &mut cameras {
        if let Some(size) = camera.physical_target_size()
            && size.x > panel_px + 16
        {
            camera.viewport = Some(Viewport {
                physical_position: UVec2::new(panel_px, 0),
                physical_size: UVec2::new(size.x - panel_px, size.y),
                ..default()
            });
        }
    }
    Ok(())
}

fn contents(ui: &mut egui::Ui, feed: &Feed, clock: &mut Clock, scrolled: &mut Scrolled) {
    let recording = feed.recording();
    ui.add_space(6.0);
    ui.heading(RichText::new("wand").strong());
    let header = &recording.header;
    ui.label(format!("{}, seed {}", header.scene, header.seed));
    if let Some(instruction) = &header.instruction {
        ui.label(RichText::new(format!("“{instruction}”")).italics());
    }
    if let Some(problem) = feed.problem() {
        ui.colored_label(FAILED, problem);
    } else if feed.live() {
        ui.colored_label(FAILED, "● live");
    } else if !feed.ended() {
        ui.label("● live: waiting for the next attempt");
    }
    ui.separator();
    transport(ui, feed, clock);
    ui.separator();

    let moment = clock.playback.moment();
    ui.label(RichText::new("Attempts").strong());
    for (i, attempt) in recording.attempts.iter().enumerate() {
        let still_running = feed.live() && i + 1 == recording.attempts.len();
        let text = format!(
            "#{} {}",
            attempt.number,
            verdict_line(&attempt.outcome, still_running)
        );
        let color = match attempt.outcome.success {
            _ if still_running => Color32::DARK_GRAY,
            Some(true) => PASSED,
            Some(false) => FAILED,
            None => Color32::DARK_GRAY,
        };
        let label = ui.selectable_label(i == moment.attempt, RichText::new(text).color(color));
        if label.clicked() {
            clock.playback.jump_to_attempt(i);
            clock.follow = false;
        }
    }
    let Some(attempt) = recording.attempts.get(moment.attempt) else {
        ui.label("No attempt has started yet.");
        return;
    };
    ui.separator();
    if let Some(verdict) = &attempt.outcome.verdict {
        ui.label(RichText::new(verdict).small());
    }
    if let Some(error) = &attempt.outcome.error {
        ui.colored_label(FAILED, RichText::new(error).small());
    }
    let said = playback::said_until(attempt, moment.t);
    if !said.is_empty() {
        ui.label(RichText::new("The robot said").strong());
        for line in said {
            ui.label(format!("“{line}”"));
        }
    }
    let printed = playback::printed_until(attempt, moment.t);
    if !printed.is_empty() {
        egui::CollapsingHeader::new("Printed")
            .default_open(false)
            .show(ui, |ui| {
                ui.label(RichText::new(printed.trim_end()).monospace().small());
            });
    }
    ui.label(RichText::new(format!("Program (attempt {})", attempt.number)).strong());
    program(
        ui,
        attempt,
        moment.attempt,
        playback::line_at(attempt, moment.t),
        scrolled,
    );
}

/// Play/pause, live, speed and the scrub bar.
fn transport(ui: &mut egui::Ui, feed: &Feed, clock: &mut Clock) {
    ui.horizontal(|ui| {
        let playing = clock.playback.playing();
        if ui
            .button(if playing { "⏸ Pause" } else { "⏵ Play" })
            .clicked()
        {
            clock.playback.set_playing(!playing);
            clock.follow = false;
        }
        if !feed.ended() && ui.selectable_label(clock.follow, "Live").clicked() {
            clock.follow = !clock.follow;
            if clock.follow {
                clock.playback.seek_end();
            }
        }
        ui.label("Speed");
        for speed in SPEEDS {
            let label = format!("{speed}×");
            if ui
                .selectable_label(clock.playback.speed() == speed, label)
                .clicked()
            {
                clock.playback.set_speed(speed);
            }
        }
    });
    let total = clock.playback.total_s();
    let mut at = clock.playback.clock_s();
    let slider = egui::Slider::new(&mut at, 0.0..=total.max(1e-3))
        .show_value(false)
        .trailing_fill(true);
    ui.spacing_mut().slider_width = ui.available_width() - 8.0;
    if ui.add(slider).changed() {
        clock.playback.seek(at);
        clock.follow = false;
    }
    ui.label(format!("{at:.1} s of {total:.1} s simulated"));
}

/// The program with line numbers, the line being executed highlighted (the error's line
/// in red at the end of an attempt that raised), scrolled to it when it changes.
fn program(
    ui: &mut egui::Ui,
    attempt: &Attempt,
    index: usize,
    line_now: Option<u32>,
    scrolled: &mut Scrolled,
) {
    if attempt.program.trim().is_empty() {
        ui.label("(no program: the model wrote none)");
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, text) in attempt.program.lines().enumerate() {
                let number = i as u32 + 1;
                let mut rich = RichText::new(format!("{number:>3}  {text}")).monospace();
                if attempt.outcome.error_line == Some(number) {
                    rich = rich.background_color(LINE_ERROR);
                }
                if line_now == Some(number) {
                    rich = rich.background_color(LINE_NOW);
                }
                let response = ui.label(rich);
                if line_now == Some(number) && scrolled.0 != Some((index, number)) {
                    response.scroll_to_me(Some(egui::Align::Center));
                    scrolled.0 = Some((index, number));
                }
            }
        });
}

/// "passed", "failed the check", "raised NameError: …", "not judged", "running…".
fn verdict_line(outcome: &Outcome, running: bool) -> String {
    if running {
        return "running…".into();
    }
    match (&outcome.success, &outcome.error) {
        (_, Some(error)) => format!("raised {}", first_words(error)),
        (Some(true), None) => "passed".into(),
        (Some(false), None) => "failed the check".into(),
        (None, None) => "not judged".into(),
    }
}

fn first_words(text: &str) -> String {
    const MOST: usize = 48;
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
