//! A map of programs drawn with Leaflet.
//!
//! The vendored Leaflet (`/leaflet/leaflet.js` and `leaflet.css`) is loaded
//! by the first map a page shows, not by `index.html`: the pages without a
//! map never fetch it. It defines the global `L`; the few calls the map needs
//! are bound below with `wasm-bindgen`. Markers are vector circles
//! (`circleMarker`), so the map works without marker images and, when the
//! region has no tile server, without tiles. Loading Leaflet and creating
//! the map are what may fail: the page then says so instead of a map.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, Object, Reflect};
use leptos::html::Div;
use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;
use navigator_shared::catalog::{MapMarker, MapProgram};
use navigator_shared::reference::{Municipality, RegionSettings};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::app::use_region;
use crate::components::Field;

#[wasm_bindgen]
extern "C" {
    /// `L.Map`.
    type LeafletMap;

    /// `L.map(element, options)`; fails when Leaflet is not loaded.
    #[wasm_bindgen(catch, js_namespace = L, js_name = map)]
    fn leaflet_map(element: &web_sys::HtmlElement, options: &Object) -> Result<LeafletMap, JsValue>;

    #[wasm_bindgen(method, js_name = setView)]
    fn set_view(this: &LeafletMap, center: &JsValue, zoom: f64);

    #[wasm_bindgen(method, js_name = getZoom)]
    fn get_zoom(this: &LeafletMap) -> f64;

    #[wasm_bindgen(method, js_name = fitBounds)]
    fn fit_bounds(this: &LeafletMap, bounds: &JsValue, options: &Object);

    #[wasm_bindgen(method, js_name = invalidateSize)]
    fn invalidate_size(this: &LeafletMap);

    #[wasm_bindgen(method, js_name = getBounds)]
    fn get_bounds(this: &LeafletMap) -> LatLngBounds;

    #[wasm_bindgen(method, js_name = on)]
    fn on(this: &LeafletMap, event: &str, handler: &Function);

    #[wasm_bindgen(method)]
    fn remove(this: &LeafletMap);

    /// `L.LatLngBounds`.
    type LatLngBounds;

    #[wasm_bindgen(method, js_name = getWest)]
    fn get_west(this: &LatLngBounds) -> f64;

    #[wasm_bindgen(method, js_name = getSouth)]
    fn get_south(this: &LatLngBounds) -> f64;

    #[wasm_bindgen(method, js_name = getEast)]
    fn get_east(this: &LatLngBounds) -> f64;

    #[wasm_bindgen(method, js_name = getNorth)]
    fn get_north(this: &LatLngBounds) -> f64;

    /// `L.Layer`: tiles, markers, controls.
    type Layer;

    #[wasm_bindgen(method, js_name = addTo)]
    fn add_to(this: &Layer, map: &LeafletMap);

    #[wasm_bindgen(method, js_name = bindPopup)]
    fn bind_popup(this: &Layer, html: &str, options: &Object);

    #[wasm_bindgen(method, js_name = bindTooltip)]
    fn bind_tooltip(this: &Layer, html: &str, options: &Object);

    #[wasm_bindgen(method, js_name = getLatLng)]
    fn get_lat_lng(this: &Layer) -> JsValue;

    /// `L.FeatureGroup`: the markers, replaced as a whole.
    #[wasm_bindgen(extends = Layer)]
    type FeatureGroup;

    #[wasm_bindgen(js_namespace = L, js_name = featureGroup)]
    fn feature_group() -> FeatureGroup;

    #[wasm_bindgen(method, js_name = addLayer)]
    fn add_layer(this: &FeatureGroup, layer: &Layer);

    #[wasm_bindgen(method, js_name = clearLayers)]
    fn clear_layers(this: &FeatureGroup);

    #[wasm_bindgen(method, js_name = removeLayer)]
    fn remove_layer(this: &FeatureGroup, layer: &Layer);

    #[wasm_bindgen(method, js_name = on)]
    fn on_group(this: &FeatureGroup, event: &str, handler: &Function);

    #[wasm_bindgen(js_namespace = L, js_name = circleMarker)]
    fn circle_marker(center: &JsValue, options: &Object) -> Layer;

    /// `L.marker`: an HTML marker, focusable and opened with Enter.
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    fn html_marker(center: &JsValue, options: &Object) -> Layer;

    /// `L.DivIcon`.
    type DivIcon;

    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &Object) -> DivIcon;

    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    fn tile_layer(url: &str, options: &Object) -> Layer;

    #[wasm_bindgen(js_namespace = ["L", "control"], js_name = attribution)]
    fn attribution_control(options: &Object) -> Layer;
}

/// Where the map opens when neither the page nor the region says.
const FALLBACK_VIEW: (f64, f64, u8) = (55.75, 37.62, 10);

/// The zoom a click on a cluster adds.
const CLUSTER_ZOOM_STEP: f64 = 2.0;
const MAX_ZOOM: f64 = 18.0;

/// A live Leaflet map with its marker layer and the handlers it calls.
struct Leaflet {
    map: LeafletMap,
    markers: FeatureGroup,
    /// The markers shown, each with its layer.
    shown: RefCell<HashMap<MarkerKey, Layer>>,
    /// The municipalities' names, when the region has no tiles to show them.
    places: FeatureGroup,
    // Kept alive as long as the map: Leaflet calls them.
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Leaflet {
    fn create(
        element: &web_sys::HtmlElement,
        region: Option<&RegionSettings>,
        view: Option<(f64, f64, u8)>,
        on_move: Option<Callback<(String, u8)>>,
    ) -> Result<Self, JsValue> {
        let map = base_map(element, region)?;
        let places = feature_group();
        places.add_to(&map);
        let markers = feature_group();
        markers.add_to(&map);
        let handler = |act: fn(&LeafletMap, &JsValue)| {
            let map: LeafletMap = JsValue::clone(&map).unchecked_into();
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| act(&map, &event))
        };
        let on_click = handler(zoom_into_cluster);
        markers.on_group("click", on_click.as_ref().unchecked_ref());
        let on_key = handler(|map, event| {
            let enter = Reflect::get(event, &"originalEvent".into())
                .and_then(|e| Reflect::get(&e, &"key".into()))
                .is_ok_and(|key| key.as_string().as_deref() == Some("Enter"));
            if enter {
                zoom_into_cluster(map, event);
            }
        });
        markers.on_group("keypress", on_key.as_ref().unchecked_ref());
        // A popup opened from the keyboard is read and followed from the keyboard.
        let on_popup = handler(|_, event| focus_first_link(event));
        map.on("popupopen", on_popup.as_ref().unchecked_ref());
        let mut handlers = vec![on_click, on_key, on_popup];
        // Registered before the first view is set, so the page hears of it too.
        if let Some(callback) = on_move {
            let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let Ok(target) = Reflect::get(&event, &"target".into()) else { return };
                if let Some(view) = visible_box(target.unchecked_ref()) {
                    // The page may be gone while Leaflet finishes a move.
                    let _ = callback.try_run(view);
                }
            });
            map.on("moveend", closure.as_ref().unchecked_ref());
            handlers.push(closure);
        }
        let (lat, lon, zoom) = view.or_else(|| region.and_then(region_view)).unwrap_or(FALLBACK_VIEW);
        map.set_view(&lat_lng(lat, lon), f64::from(zoom));
        Ok(Self { map, markers, shown: RefCell::default(), places, _handlers: handlers })
    }

    /// Shows `markers`: the ones already shown stay as they are (an open
    /// popup stays open when a move asks for the markers again), the others
    /// come and go.
    fn set_markers(&self, markers: &[MapMarker]) {
        let mut shown = self.shown.borrow_mut();
        let wanted: HashMap<MarkerKey, &MapMarker> = markers.iter().map(|m| (MarkerKey::of(m), m)).collect();
        shown.retain(|key, layer| {
            let keep = wanted.contains_key(key);
            if !keep {
                self.markers.remove_layer(layer);
            }
            keep
        });
        for (key, marker) in wanted {
            if let std::collections::hash_map::Entry::Vacant(place) = shown.entry(key) {
                let layer = marker_layer(marker);
                self.markers.add_layer(&layer);
                place.insert(layer);
            }
        }
    }

    /// Writes the municipalities' names at their centres.
    fn set_places(&self, places: &[Municipality]) {
        self.places.clear_layers();
        for place in places {
            let Some([lat, lon]) = place.center else { continue };
            let icon = div_icon(&options(&[
                ("className", "map-place".into()),
                ("html", escape_html(&place.name).into()),
                ("iconSize", JsValue::NULL),
            ]));
            let label = html_marker(
                &lat_lng(lat, lon),
                &options(&[
                    ("icon", icon.into()),
                    ("interactive", false.into()),
                    ("keyboard", false.into()),
                    ("zIndexOffset", (-1000).into()),
                ]),
            );
            self.places.add_layer(&label);
        }
    }

    /// Shows the box `[min_lon, min_lat, max_lon, max_lat]` whole.
    fn fit(&self, [min_lon, min_lat, max_lon, max_lat]: [f64; 4]) {
        let bounds = Array::of2(&lat_lng(min_lat, min_lon), &lat_lng(max_lat, max_lon));
        self.map.fit_bounds(
            &bounds,
            &options(&[("padding", Array::of2(&24.into(), &24.into()).into()), ("maxZoom", 15.into())]),
        );
    }
}

/// What tells one marker from another: its place, its count and its programs.
#[derive(PartialEq, Eq, Hash)]
struct MarkerKey(u64, u64, i64, Vec<i64>);

impl MarkerKey {
    fn of(marker: &MapMarker) -> Self {
        MarkerKey(
            marker.lat.to_bits(),
            marker.lon.to_bits(),
            marker.count,
            marker.programs.iter().map(|p| p.id).collect(),
        )
    }
}

/// Moves the focus into the popup just opened: to its first link.
fn focus_first_link(event: &JsValue) {
    let element = Reflect::get(event, &"popup".into())
        .and_then(|popup| Reflect::get(&popup, &"_contentNode".into()))
        .ok()
        .and_then(|node| node.dyn_into::<web_sys::Element>().ok());
    if let Some(link) = element.and_then(|e| e.query_selector("a").ok().flatten())
        && let Ok(link) = link.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = link.focus();
    }
}

/// A Leaflet map in `element` with the attribution and the region's tiles
/// (when the region has a tile server).
fn base_map(element: &web_sys::HtmlElement, region: Option<&RegionSettings>) -> Result<LeafletMap, JsValue> {
    let map = leaflet_map(element, &options(&[("attributionControl", false.into())]))?;
    let prefix = "<a href=\"https://leafletjs.com\" rel=\"noopener\">Leaflet</a>";
    attribution_control(&options(&[("prefix", prefix.into())])).add_to(&map);
    if let Some(region) = region.filter(|r| !r.map_tile_url.trim().is_empty()) {
        // The attribution is the operator's setting and may hold a link: it stays HTML.
        let tiles = options(&[("attribution", region.map_attribution.as_str().into()), ("maxZoom", 19.into())]);
        tile_layer(region.map_tile_url.trim(), &tiles).add_to(&map);
    }
    Ok(map)
}

/// The region's start view, when it has one.
fn region_view(region: &RegionSettings) -> Option<(f64, f64, u8)> {
    let [lat, lon] = region.map_center;
    (lat != 0.0 || lon != 0.0).then_some((
        lat,
        lon,
        if region.map_zoom == 0 { FALLBACK_VIEW.2 } else { region.map_zoom },
    ))
}

/// `min_lon,min_lat,max_lon,max_lat` of the visible part and the zoom.
fn visible_box(map: &LeafletMap) -> Option<(String, u8)> {
    let bounds = map.get_bounds();
    let lon = |v: f64| v.clamp(-180.0, 180.0);
    let lat = |v: f64| v.clamp(-90.0, 90.0);
    let corners = [lon(bounds.get_west()), lat(bounds.get_south()), lon(bounds.get_east()), lat(bounds.get_north())];
    let zoom = map.get_zoom();
    if !corners.iter().all(|v| v.is_finite()) || !zoom.is_finite() {
        return None;
    }
    let bbox = corners.iter().map(|v| format!("{v:.6}")).collect::<Vec<_>>().join(",");
    Some((bbox, zoom.round().clamp(0.0, 19.0) as u8))
}

/// A click on a cluster brings it closer; a program's marker opens its popup itself.
fn zoom_into_cluster(map: &LeafletMap, event: &JsValue) {
    let Ok(layer) = Reflect::get(event, &"layer".into()) else { return };
    let cluster = Reflect::get(&layer, &"options".into())
        .and_then(|options| Reflect::get(&options, &"cluster".into()))
        .ok()
        .and_then(|value| value.as_bool())
        .unwrap_or(false);
    if cluster {
        let center = layer.unchecked_ref::<Layer>().get_lat_lng();
        map.set_view(&center, (map.get_zoom() + CLUSTER_ZOOM_STEP).min(MAX_ZOOM));
    }
}

/// A program's marker, the list of one address's programs, or a cluster: an
/// HTML marker, reached with Tab and opened with Enter.
fn marker_layer(marker: &MapMarker) -> Layer {
    let center = lat_lng(marker.lat, marker.lon);
    let count = marker.count.max(1);
    let (class, text, name, size) = match marker.programs.as_slice() {
        [program] if count == 1 => {
            ("map-pin map-program", String::new(), format!("{} — {}", program.title, program.organization), 18.0)
        }
        [] => {
            // Bigger for more programs: 32 px for a few, up to 56 px for thousands.
            let size = (28.0 + 8.0 * (count as f64).log10()).min(56.0);
            let name = format!("{count} {} рядом: приблизить", programs_word(count));
            ("map-pin map-cluster", count.to_string(), name, size)
        }
        [first, ..] => {
            let name = format!("{count} {} по адресу {}", programs_word(count), first.address);
            ("map-pin map-cluster map-address", count.to_string(), name, 32.0)
        }
    };
    let icon = div_icon(&options(&[
        ("className", class.into()),
        ("html", format!("<span aria-hidden=\"true\">{text}</span>").into()),
        ("iconSize", Array::of2(&size.into(), &size.into()).into()),
    ]));
    let layer = html_marker(
        &center,
        &options(&[
            ("icon", icon.into()),
            ("title", name.into()),
            ("keyboard", true.into()),
            ("riseOnHover", true.into()),
            ("cluster", marker.programs.is_empty().into()),
        ]),
    );
    if !marker.programs.is_empty() {
        let popup = options(&[("maxWidth", 280.into()), ("maxHeight", 260.into())]);
        layer.bind_popup(&popup_html(marker), &popup);
    }
    layer
}

fn programs_word(count: i64) -> &'static str {
    crate::pages::catalog::plural(count, ("программа", "программы", "программ"))
}

/// The popup of a marker: one program with its organization and address, or
/// the programs of one address as a list of links.
fn popup_html(marker: &MapMarker) -> String {
    let link = |program: &MapProgram| {
        format!(
            "<a class=\"map-popup-title\" href=\"/programs/{}\">{}</a><span class=\"map-popup-org\">{}</span>",
            program.id,
            escape_html(&program.title),
            escape_html(&program.organization),
        )
    };
    match marker.programs.as_slice() {
        [program] if marker.count <= 1 => {
            format!("{}<span class=\"map-popup-address\">{}</span>", link(program), escape_html(&program.address))
        }
        programs => {
            let address = programs.first().map(|p| escape_html(&p.address)).unwrap_or_default();
            let items: String = programs.iter().map(|p| format!("<li>{}</li>", link(p))).collect();
            let rest = marker.count - programs.len() as i64;
            let more = if rest > 0 {
                format!("<p class=\"map-popup-more\">и ещё {rest} — в списке результатов</p>")
            } else {
                String::new()
            };
            format!(
                "<p class=\"map-popup-address\">{address}: {} {}</p><ul class=\"map-popup-list\">{items}</ul>{more}",
                marker.count,
                programs_word(marker.count)
            )
        }
    }
}

/// Text safe to put into HTML, inside elements and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn lat_lng(lat: f64, lon: f64) -> JsValue {
    Array::of2(&lat.into(), &lon.into()).into()
}

/// A plain JS object of Leaflet options.
fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        // Setting a property of a fresh plain object does not fail.
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}

thread_local! {
    /// Leaflet's script and style sheet being loaded, or loaded: one load for every map.
    static LEAFLET: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Adds Leaflet's style sheet and script to the page (once) and waits until
/// both have loaded; `false` when either failed (a later map tries again).
async fn load_leaflet() -> bool {
    let promise = LEAFLET.with(|cell| cell.borrow_mut().get_or_insert_with(leaflet_promise).clone());
    let loaded = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
    if !loaded {
        LEAFLET.with(|cell| cell.borrow_mut().take());
    }
    loaded
}

/// The promise of both files of Leaflet, their elements put into `<head>`.
fn leaflet_promise() -> js_sys::Promise {
    if Reflect::get(window().as_ref(), &"L".into()).is_ok_and(|l| !l.is_undefined()) {
        return js_sys::Promise::resolve(&JsValue::UNDEFINED);
    }
    let style = leaflet_file("link", "leaflet-css", &[("rel", "stylesheet"), ("href", "/leaflet/leaflet.css")]);
    let script = leaflet_file("script", "leaflet-js", &[("src", "/leaflet/leaflet.js")]);
    js_sys::Promise::all(&Array::of2(&style, &script))
}

/// An element `tag` with `attributes` put into `<head>`; the promise of its load.
fn leaflet_file(tag: &str, id: &str, attributes: &[(&str, &str)]) -> js_sys::Promise {
    let document = document();
    // What an earlier failed try left behind goes first.
    if let Some(stale) = document.get_element_by_id(id) {
        stale.remove();
    }
    let Ok(element) = document.create_element(tag) else {
        return js_sys::Promise::reject(&"Leaflet".into());
    };
    let _ = element.set_attribute("id", id);
    for &(name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = Reflect::set(&element, &"onload".into(), &resolve);
        let _ = Reflect::set(&element, &"onerror".into(), &reject);
    });
    if let Some(head) = document.query_selector("head").ok().flatten() {
        let _ = head.append_child(&element);
    }
    loaded
}

/// A map's life in a component: made in `node` once Leaflet has loaded and
/// the region's settings are known (tiles, start view; without them it
/// still works), brought up to date by `update` whenever what `update` reads
/// changes, removed with the component. Answers the map (for other effects) and whether making it failed.
fn mount<T: 'static>(
    node: NodeRef<Div>,
    create: impl Fn(&web_sys::HtmlElement, Option<&RegionSettings>) -> Result<T, JsValue> + 'static,
    update: impl Fn(&T) + 'static,
    base: fn(&T) -> &LeafletMap,
) -> (StoredValue<Option<T>, LocalStorage>, RwSignal<bool>) {
    let region = use_region();
    let leaflet = LocalResource::new(load_leaflet);
    let made = StoredValue::new_local(None::<T>);
    let failed = RwSignal::new(false);
    // A page from a chunk of the client is built before it is put into the
    // document: a map made in a detached box would measure it as 0 × 0.
    let frames = RwSignal::new(0_u32);
    Effect::new(move || {
        let Some(element) = node.get() else { return };
        frames.track();
        if !element.is_connected() {
            request_animation_frame(move || frames.update(|n| *n += 1));
            return;
        }
        match leaflet.get() {
            Some(true) => {}
            Some(false) => {
                failed.set(true);
                return;
            }
            None => return,
        }
        let region = match region.get() {
            None => return,
            Some(result) => result.ok(),
        };
        if made.with_value(Option::is_none) && !failed.get_untracked() {
            match create(&element, region.as_ref()) {
                Ok(map) => made.set_value(Some(map)),
                Err(_) => failed.set(true),
            }
        }
        made.with_value(|map| map.as_ref().map(&update));
    });
    on_cleanup(move || {
        made.update_value(|map| {
            if let Some(map) = map.take() {
                base(&map).remove();
            }
        });
    });
    (made, failed)
}

/// A Leaflet map in a box `id`: the region's tiles (when configured; without
/// them the municipalities' names at their centres), the `markers` (single
/// programs with a popup, the programs of one address as a list, clusters
/// with their count that zoom in on a click or Enter). `on_move` hears the
/// visible box (`min_lon,min_lat,max_lon,max_lat`) and zoom after every move,
/// the first view included; a box put into `fit` is shown whole. The map is
/// removed with the component.
#[component]
pub fn CatalogMap(
    /// Element id of the map box.
    id: &'static str,
    /// What the map shows, for screen readers.
    label: &'static str,
    #[prop(into)] markers: Signal<Vec<MapMarker>>,
    /// Start view `(lat, lon, zoom)`; the region's when not given.
    #[prop(optional)]
    view: Option<(f64, f64, u8)>,
    #[prop(optional)] on_move: Option<Callback<(String, u8)>>,
    /// `[min_lon, min_lat, max_lon, max_lat]` to show whole; taken and cleared.
    #[prop(optional)]
    fit: Option<RwSignal<Option<[f64; 4]>>>,
    /// Class of the box (its height).
    #[prop(default = "map")]
    class: &'static str,
) -> impl IntoView {
    let region = use_region();
    let node = NodeRef::<Div>::new();
    // Without tiles nothing on the map says where a place is: the municipalities' names do.
    let untiled = move || region.with(|r| matches!(r, Some(Ok(r)) if r.map_tile_url.trim().is_empty()));
    let places = LocalResource::new(move || {
        let wanted = untiled();
        async move { if wanted { crate::api::municipalities().await.unwrap_or_default() } else { Vec::new() } }
    });
    let (leaflet, failed) = mount(
        node,
        move |element, region| Leaflet::create(element, region, view, on_move),
        move |map: &Leaflet| {
            map.set_markers(&markers.get());
            map.set_places(&places.get().unwrap_or_default());
        },
        |map| &map.map,
    );
    if let Some(fit) = fit {
        Effect::new(move || {
            let Some(extent) = fit.get() else { return };
            leaflet.with_value(|map| map.as_ref().map(|map| map.fit(extent)));
            fit.set(None);
        });
    }
    view! {
        <div id=id class=class node_ref=node role="region" aria-label=label></div>
        <Show when=move || failed.get()>
            <p class="form-error map-error" role="alert">
                "Карта не загрузилась. Обновите страницу или воспользуйтесь списком."
            </p>
        </Show>
    }
}

/// The zoom a picked point is shown at.
const POINT_ZOOM: u8 = 15;

/// A live map to pick a point on, with the marker of the point.
struct Picker {
    map: LeafletMap,
    marker: FeatureGroup,
    _on_click: Closure<dyn FnMut(JsValue)>,
}

/// The point `lat` and `lon` hold, if both are numbers in range.
fn point_of(lat: &str, lon: &str) -> Option<(f64, f64)> {
    let lat = lat.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-90.0..=90.0).contains(v))?;
    let lon = lon.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-180.0..=180.0).contains(v))?;
    Some((lat, lon))
}

/// A map to pick a place on: a click (or a tap) puts the marker there and
/// writes its coordinates into `lat` and `lon`; coordinates typed into the
/// fields move the marker. The fields stay for the keyboard.
#[component]
pub fn PointPicker(
    /// Element id of the map box.
    id: &'static str,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let create = move |element: &web_sys::HtmlElement, region: Option<&RegionSettings>| {
        let map = base_map(element, region)?;
        let (clat, clon, zoom) = point_of(&lat.get_untracked(), &lon.get_untracked())
            .map(|(a, b)| (a, b, POINT_ZOOM))
            .or_else(|| region.and_then(region_view))
            .unwrap_or(FALLBACK_VIEW);
        map.set_view(&lat_lng(clat, clon), f64::from(zoom));
        let marker = feature_group();
        marker.add_to(&map);
        let on_click = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let Ok(at) = Reflect::get(&event, &"latlng".into()) else { return };
            let coordinate = |name: &str| Reflect::get(&at, &name.into()).ok().and_then(|v| v.as_f64());
            if let (Some(a), Some(b)) = (coordinate("lat"), coordinate("lng")) {
                lat.set(format!("{a:.6}"));
                lon.set(format!("{b:.6}"));
            }
        });
        map.on("click", on_click.as_ref().unchecked_ref());
        Ok(Picker { map, marker, _on_click: on_click })
    };
    let update = move |picker: &Picker| {
        picker.marker.clear_layers();
        let Some((a, b)) = point_of(&lat.get(), &lon.get()) else { return };
        // A point typed or filled in from elsewhere is brought into view, close enough
        // for a tap to land on the street.
        picker.map.invalidate_size();
        let bounds = picker.map.get_bounds();
        let seen = (bounds.get_south()..=bounds.get_north()).contains(&a)
            && (bounds.get_west()..=bounds.get_east()).contains(&b);
        if !seen || picker.map.get_zoom() < f64::from(POINT_ZOOM) {
            picker.map.set_view(&lat_lng(a, b), f64::from(POINT_ZOOM));
        }
        let style = options(&[("radius", 9.into()), ("weight", 3.into()), ("color", "#1f5fa8".into())]);
        picker.marker.add_layer(&circle_marker(&lat_lng(a, b), &style));
    };
    let (_, failed) = mount(node, create, update, |picker| &picker.map);
    view! {
        <div
            id=id
            class="map map-picker"
            node_ref=node
            role="region"
            aria-label="Карта: нажмите на место занятий, чтобы заполнить координаты"
        ></div>
        <Show when=move || failed.get()>
            <p class="form-error map-error" role="alert">"Карта не загрузилась: введите координаты вручную."</p>
        </Show>
    }
}

/// A place on a map with its two coordinates in a group: a tap on the map
/// fills them, typed ones move the marker.
#[component]
pub fn PointFields(
    /// Element id of the map box.
    id: &'static str,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    errors: RwSignal<navigator_shared::FieldErrors>,
    legend: &'static str,
    hint: &'static str,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    view! {
        <fieldset class="group coordinates">
            <legend>{legend}</legend>
            <p class="hint">{hint}</p>
            <PointPicker id=id lat=lat lon=lon />
            <div class="row row-even">
                <Field name="lat" label="Широта" value=lat errors=errors kind="text" inputmode="decimal" required=required />
                <Field name="lon" label="Долгота" value=lon errors=errors kind="text" inputmode="decimal" required=required />
            </div>
        </fieldset>
    }
}
