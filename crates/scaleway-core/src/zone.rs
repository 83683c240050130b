//! Availability zones and regions.
//!
//! Scaleway opens new zones over time (`it-mil-1` is one the seed documents do not list), so
//! any well-formed name is accepted; the constants only cover the zones known when this crate
//! was written.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// An availability zone such as `fr-par-1`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Zone(Cow<'static, str>);

/// A region such as `fr-par`: a group of zones.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(Cow<'static, str>);

/// A string that is not a well-formed zone or region name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a {what}: expected {expected}")]
pub struct LocalityParseError {
    input: String,
    what: &'static str,
    expected: &'static str,
}

impl LocalityParseError {
    /// The string that failed to parse.
    pub fn input(&self) -> &str {
        &self.input
    }
}

/// `[a-z]{2}-[a-z]{3,7}`: country code, then city code.
fn is_region_name(s: &str) -> bool {
    let Some((country, city)) = s.split_once('-') else {
        return false;
    };
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_lowercase())
        && (3..=7).contains(&city.len())
        && city.bytes().all(|b| b.is_ascii_lowercase())
}

/// `<region>-[0-9]{1,2}`.
fn is_zone_name(s: &str) -> bool {
    let Some((region, number)) = s.rsplit_once('-') else {
        return false;
    };
    is_region_name(region)
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

macro_rules! known {
    ($ty:ident { $($name:ident = $value:literal),* $(,)? }) => {
        impl $ty {
            $(
                #[doc = concat!("`", $value, "`")]
                pub const $name: $ty = $ty(Cow::Borrowed($value));
            )*
            /// Every value known when this crate was released, in a stable order.
            pub const KNOWN: &'static [$ty] = &[$($ty::$name),*];
        }
    };
}

known!(Zone {
    FR_PAR_1 = "fr-par-1",
    FR_PAR_2 = "fr-par-2",
    FR_PAR_3 = "fr-par-3",
    NL_AMS_1 = "nl-ams-1",
    NL_AMS_2 = "nl-ams-2",
    NL_AMS_3 = "nl-ams-3",
    PL_WAW_1 = "pl-waw-1",
    PL_WAW_2 = "pl-waw-2",
    PL_WAW_3 = "pl-waw-3",
    IT_MIL_1 = "it-mil-1",
});

known!(Region {
    FR_PAR = "fr-par",
    NL_AMS = "nl-ams",
    PL_WAW = "pl-waw",
    IT_MIL = "it-mil",
});

impl Zone {
    /// Parses a zone name, accepting zones this crate does not know yet.
    pub fn new(name: &str) -> Result<Self, LocalityParseError> {
        name.parse()
    }

    /// The zone name, e.g. `fr-par-1`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The region this zone belongs to: `fr-par-1` is in `fr-par`.
    pub fn region(&self) -> Region {
        let (region, _) = self
            .0
            .rsplit_once('-')
            .expect("a parsed zone always contains a dash");
        Region(Cow::Owned(region.to_owned()))
    }
}

impl Region {
    /// Parses a region name, accepting regions this crate does not know yet.
    pub fn new(name: &str) -> Result<Self, LocalityParseError> {
        name.parse()
    }

    /// The region name, e.g. `fr-par`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The known zones of this region, in order (empty for a region newer than this crate).
    pub fn zones(&self) -> Vec<Zone> {
        Zone::KNOWN
            .iter()
            .filter(|zone| zone.region() == *self)
            .cloned()
            .collect()
    }
}

impl FromStr for Zone {
    type Err = LocalityParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(known) = Zone::KNOWN.iter().find(|z| z.as_str() == s) {
            return Ok(known.clone());
        }
        if is_zone_name(s) {
            Ok(Zone(Cow::Owned(s.to_owned())))
        } else {
            Err(LocalityParseError {
                input: s.to_owned(),
                what: "zone",
                expected: "<region>-<n> such as fr-par-1",
            })
        }
    }
}

impl FromStr for Region {
    type Err = LocalityParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(known) = Region::KNOWN.iter().find(|r| r.as_str() == s) {
            return Ok(known.clone());
        }
        if is_region_name(s) {
            Ok(Region(Cow::Owned(s.to_owned())))
        } else {
            Err(LocalityParseError {
                input: s.to_owned(),
                what: "region",
                expected: "<country>-<city> such as fr-par",
            })
        }
    }
}

macro_rules! string_like {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // `pad`, so that `{:<9}` aligns a column of zones.
                f.pad(&self.0)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // Read like the string it is: `server.zone.as_deref() == Some("fr-par-1")`.
        impl std::ops::Deref for $ty {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                *self.0 == *other
            }
        }

        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                *self.0 == **other
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = LocalityParseError;
            fn try_from(value: &str) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl TryFrom<&String> for $ty {
            type Error = LocalityParseError;
            fn try_from(value: &String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl TryFrom<String> for $ty {
            type Error = LocalityParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl From<&$ty> for $ty {
            fn from(value: &$ty) -> Self {
                value.clone()
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_like!(Zone);
string_like!(Region);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_new_zones_parse() {
        assert_eq!(Zone::new("fr-par-1").unwrap(), Zone::FR_PAR_1);
        let milan = Zone::new("it-mil-1").unwrap();
        assert_eq!(milan.region(), Region::IT_MIL);
        let future = Zone::new("de-fra-12").unwrap();
        assert_eq!(future.region().as_str(), "de-fra");
        assert_eq!(future.to_string(), "de-fra-12");
    }

    #[test]
    fn malformed_zone_is_named_in_the_error() {
        let err = Zone::new("fr-par-9x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"fr-par-9x\" is not a zone: expected <region>-<n> such as fr-par-1"
        );
        for bad in [
            "",
            "fr-par",
            "fr-par-123",
            "FR-PAR-1",
            "f-par-1",
            "fr-pa-1",
            "fr-paris-long-1",
        ] {
            assert!(Zone::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn regions_validate_and_list_their_zones() {
        assert_eq!(
            Region::FR_PAR.zones(),
            vec![Zone::FR_PAR_1, Zone::FR_PAR_2, Zone::FR_PAR_3]
        );
        assert!(Region::new("fr-par-1").is_err());
        assert!(Region::new("de-fra").is_ok());
        assert!(
            Region::new("nl-amsterdam").is_err(),
            "city codes have at most 7 letters"
        );
    }

    #[test]
    fn serde_round_trip_validates() {
        let zone: Zone = serde_json::from_str("\"pl-waw-3\"").unwrap();
        assert_eq!(serde_json::to_string(&zone).unwrap(), "\"pl-waw-3\"");
        assert!(serde_json::from_str::<Zone>("\"nowhere\"").is_err());
    }
}
