//! Vector helpers, since the sandbox has no numpy: points are lists of 2 or 3 numbers.

use crate::error::PyError;
use crate::registry::{Args, Category, Level, Primitive, req};
use crate::session::Session;
use crate::value::Value;

/// Two points of the same length; with `offset_ok`, also a point [x, y, z] and a
/// planar offset [dx, dy] (returned as [dx, dy, 0]: the height stays).
fn pair(name: &str, args: &Args, offset_ok: bool) -> Result<(Vec<f64>, Vec<f64>), PyError> {
    let a = args.numbers(0, &[2, 3])?;
    let mut b = args.numbers(1, &[2, 3])?;
    if offset_ok && a.len() == 3 && b.len() == 2 {
        b.push(0.0);
    }
    if a.len() != b.len() {
        return Err(PyError::value(format!(
            "{name}: a has {} numbers and b has {}; use two [x, y] or two [x, y, z] points \
             (a[:2] drops the height)",
            a.len(),
            b.len()
        )));
    }
    Ok((a, b))
}

fn result(values: impl Iterator<Item = f64>) -> Value {
    Value::List(
        values
            .map(|v| Value::Float((v * 1e9).round() / 1e9))
            .collect(),
    )
}

pub const DIST: Primitive = Primitive {
    name: "dist",
    params: &[req("a"), req("b")],
    returns: "meters",
    category: Category::Helpers,
    level: Level::Low,
    doc: "The distance between two points (measured in the plane if either is [x, y]).",
    example: "d = dist(get_obj_pos('red block'), get_obj_pos('blue bowl'))",
    handler: |_: &mut Session, args: &Args| {
        let a = args.numbers(0, &[2, 3])?;
        let b = args.numbers(1, &[2, 3])?;
        let d = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f64>()
            .sqrt();
        Ok(Value::Float((d * 1e9).round() / 1e9))
    },
};

pub const MIDPOINT: Primitive = Primitive {
    name: "midpoint",
    params: &[req("a"), req("b")],
    returns: "point",
    category: Category::Helpers,
    level: Level::Low,
    doc: "The point halfway between a and b.",
    example: "m = midpoint(get_obj_pos('red block'), get_obj_pos('blue block'))",
    handler: |_: &mut Session, args: &Args| {
        let (a, b) = pair("midpoint", args, false)?;
        Ok(result(a.iter().zip(&b).map(|(x, y)| (x + y) / 2.0)))
    },
};

pub const ADD: Primitive = Primitive {
    name: "add",
    params: &[req("a"), req("b")],
    returns: "point",
    category: Category::Helpers,
    level: Level::Low,
    doc: "a + b, element by element. b may be a flat offset [dx, dy] of a point [x, y, z]: \
          the height stays, so add(get_obj_pos(n), [0.1, 0]) is 10 cm further away. \
          (get_obj_pos(n) + [0.1, 0] would join the lists into 5 numbers.)",
    example: "above = add(get_obj_pos('red block'), [0, 0, 0.1])",
    handler: |_: &mut Session, args: &Args| {
        let (a, b) = pair("add", args, true)?;
        Ok(result(a.iter().zip(&b).map(|(x, y)| x + y)))
    },
};

pub const SUB: Primitive = Primitive {
    name: "sub",
    params: &[req("a"), req("b")],
    returns: "point",
    category: Category::Helpers,
    level: Level::Low,
    doc: "a - b, element by element; as for add, b may be a flat offset [dx, dy] of a point \
          [x, y, z].",
    example: "offset = sub(get_obj_pos('red block'), get_obj_pos('green bowl'))",
    handler: |_: &mut Session, args: &Args| {
        let (a, b) = pair("sub", args, true)?;
        Ok(result(a.iter().zip(&b).map(|(x, y)| x - y)))
    },
};

pub const SCALE: Primitive = Primitive {
    name: "scale",
    params: &[req("a"), req("k")],
    returns: "point",
    category: Category::Helpers,
    level: Level::Low,
    doc: "The point a with every coordinate multiplied by the number k.",
    example: "half = scale(sub(b, a), 0.5)",
    handler: |_: &mut Session, args: &Args| {
        let a = args.numbers(0, &[2, 3])?;
        let k = args.number(1)?;
        Ok(result(a.iter().map(|x| x * k)))
    },
};

pub const MEAN: Primitive = Primitive {
    name: "mean",
    params: &[req("points")],
    returns: "point",
    category: Category::Helpers,
    level: Level::Low,
    doc: "The average of a non-empty list of points.",
    example: "center = mean([get_obj_pos(n) for n in get_obj_names()])",
    handler: |_: &mut Session, args: &Args| {
        let points = args.points(0)?;
        let n = points.iter().map(Vec::len).min().unwrap_or(0);
        let count = points.len() as f64;
        Ok(result(
            (0..n).map(|i| points.iter().map(|p| p[i]).sum::<f64>() / count),
        ))
    },
};
