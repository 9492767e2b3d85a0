// The scene page's 3D viewer: three.js (meshes, orbit controls) and Spark (Gaussian splats), both vendored.
// It renders on demand (a change of view, a finished splat sort), not in a busy loop: software WebGL stays cheap.
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";

const SPLAT_TYPES = { ply: "ply", splat: "splat", spz: "spz", ksplat: "ksplat", sog: "pcsogszip" };

/**
 * The files of a scene the viewer can show, in the order to try them, with how to load each. A splat scene shows
 * the one file its process job chose, named by its metadata's viewerFile: the smallest one the bundled Spark reads
 * (an SPZ 3, viewer.spz unless scene.spz or the upload is one; processing's SplatOutput.viewerFile). A scene
 * processed before that: its outputs smallest first (an SPZ 4 among them is skipped from its first bytes), the
 * original upload last, only for when no output loads: it can be far larger (a 1 MB demo.ply beside a 66 KB
 * scene.spz; captures of hundreds of MB).
 */
export function viewable(scene) {
  const files = scene.files || [];
  const byName = (n) => files.find((f) => f.name === n);
  const ext = (n) => n.slice(n.lastIndexOf(".") + 1).toLowerCase();
  const size = (f) => (typeof f.size === "number" ? f.size : Number.MAX_SAFE_INTEGER);
  const originals = files.filter((f) => f.kind === "original");
  const main = originals.find((f) => f.name.endsWith("/" + scene.filename) || f.name === "original/" + scene.filename)
    || originals[0];
  const kind = scene.metadata && scene.metadata.kind;
  const chosen = scene.metadata && scene.metadata.viewerFile && byName(scene.metadata.viewerFile);
  const out = [];
  if (chosen && SPLAT_TYPES[ext(chosen.name)]) {
    out.push({ kind: "splat", file: chosen, type: SPLAT_TYPES[ext(chosen.name)] });
  } else if (kind === "splat" || (main && SPLAT_TYPES[ext(main.name)])) {
    // listed in order of preference for equal sizes; the sort keeps that order (it is stable)
    const outputs = ["scene.spz", "scene.splat", "scene.ply"].map(byName).filter(Boolean)
      .sort((a, b) => size(a) - size(b));
    for (const f of outputs) out.push({ kind: "splat", file: f, type: SPLAT_TYPES[ext(f.name)] });
    if (main && SPLAT_TYPES[ext(main.name)]) out.push({ kind: "splat", file: main, type: SPLAT_TYPES[ext(main.name)] });
  } else {
    if (byName("scene.glb")) out.push({ kind: "mesh", file: byName("scene.glb") });
    if (main && ["glb", "gltf"].includes(ext(main.name))) out.push({ kind: "mesh", file: main });
  }
  return out;
}

/** Whether the SPZ at {@code url} is version 4 (its header is not compressed: "NGSP"), reading only its start. */
async function spzV4(url) {
  const res = await fetch(url + "?redirect=false", { credentials: "same-origin", headers: { Range: "bytes=0-1" } });
  if (!res.ok || !res.body) return false; // the full download says what is wrong
  const reader = res.body.getReader();
  const { value } = await reader.read();
  reader.cancel().catch(() => {}); // a server that ignored the range: the rest is not wanted
  return !!value && value.length >= 2 && value[0] === 0x4e && value[1] === 0x47;
}

/**
 * Shows the first candidate that loads in {@code container}; resolves to {kind, file} or rejects with the reason
 * when none can be shown. The returned object's dispose() frees the GPU resources.
 */
export async function mountViewer(container, candidates, onStatus) {
  const canvasHost = document.createElement("div");
  canvasHost.style.position = "absolute";
  canvasHost.style.inset = "0";
  container.prepend(canvasHost);
  const width = () => Math.max(1, container.clientWidth);
  const height = () => Math.max(1, container.clientHeight);

  // preserveDrawingBuffer: the picture stays readable (screenshots, the browser test's pixel check).
  const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  renderer.setSize(width(), height());
  renderer.setClearColor(0x20242c, 1);
  canvasHost.appendChild(renderer.domElement);
  renderer.domElement.setAttribute("data-viewer", "canvas");

  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(50, width() / height(), 0.01, 1000);
  const controls = new OrbitControls(camera, renderer.domElement);
  // No damping: a frame is drawn only when the view changes (damping would keep drawing after each gesture).

  let frames = 0;
  const dirty = (n = 1) => { frames = Math.max(frames, n); };
  controls.addEventListener("change", () => dirty());
  renderer.setAnimationLoop(() => {
    if (frames <= 0) return;
    frames--;
    controls.update();
    renderer.render(scene, camera);
  });
  const resize = new ResizeObserver(() => {
    renderer.setSize(width(), height());
    camera.aspect = width() / height();
    camera.updateProjectionMatrix();
    dirty();
  });
  resize.observe(container);

  const frame = (box) => {
    const size = box.getSize(new THREE.Vector3());
    const center = box.getCenter(new THREE.Vector3());
    const radius = Math.max(size.length() / 2, 1e-3);
    const dist = radius / Math.sin(THREE.MathUtils.degToRad(camera.fov / 2)) * 1.1;
    camera.near = dist / 200;
    camera.far = dist * 50;
    camera.position.copy(center).add(new THREE.Vector3(0.6, 0.45, 1).normalize().multiplyScalar(dist));
    camera.updateProjectionMatrix();
    controls.target.copy(center);
    controls.update();
    dirty(2);
  };

  let shown = null;
  const reasons = [];
  const t0 = performance.now();
  const mark = (what) => console.info("viewer: " + what + " after " + Math.round(performance.now() - t0) + " ms");
  for (const c of candidates) {
    try {
      onStatus && onStatus("Loading " + c.file.name.replace(/^original\//, "") + "...");
      let bytes = c.bytes; // a standalone page (vsa convert x.html) carries the file itself
      if (!bytes && c.type === "spz" && await spzV4(c.file.url)) {
        throw new Error("SPZ v4 (zstd) is not readable by the viewer"); // known from its first bytes, not all of it
      }
      if (!bytes) {
        const res = await fetch(c.file.url + "?redirect=false", { credentials: "same-origin" });
        if (!res.ok) throw new Error("download failed (" + res.status + ")");
        bytes = new Uint8Array(await res.arrayBuffer());
      }
      mark("downloaded " + bytes.length + " bytes");
      if (c.kind === "mesh") {
        scene.add(new THREE.HemisphereLight(0xffffff, 0x444455, 2.2));
        const sun = new THREE.DirectionalLight(0xffffff, 2.0);
        sun.position.set(3, 5, 4);
        scene.add(sun);
        const gltf = await new GLTFLoader().parseAsync(bytes.buffer, "");
        scene.add(gltf.scene);
        frame(new THREE.Box3().setFromObject(gltf.scene));
      } else {
        if (c.type === "spz" && bytes[0] === 0x4e && bytes[1] === 0x47) {
          throw new Error("SPZ v4 (zstd) is not readable by the viewer");
        }
        const { SparkRenderer, SplatMesh } = await import("@sparkjsdev/spark");
        mark("Spark loaded");
        scene.add(new SparkRenderer({ renderer, onDirty: () => dirty(1) }));
        const mesh = new SplatMesh({ fileBytes: bytes, fileType: c.type, fileName: c.file.name });
        mesh.quaternion.set(1, 0, 0, 0); // 3DGS captures are y-down: turn them upright
        scene.add(mesh);
        await mesh.initialized;
        mark("splats decoded");
        const box = mesh.getBoundingBox(true).applyMatrix4(mesh.matrixWorld.compose(
          mesh.position, mesh.quaternion, mesh.scale));
        frame(box);
      }
      shown = c;
      break;
    } catch (e) {
      // one line: a loader's message may carry a stack or a multi-line detail; the first line says what failed
      reasons.push(c.file.name + ": " + String(e && e.message ? e.message : e).split("\n")[0].trim());
      scene.clear();
    }
  }
  const dispose = () => {
    resize.disconnect();
    renderer.setAnimationLoop(null);
    controls.dispose();
    renderer.dispose();
    canvasHost.remove();
  };
  if (!shown) {
    dispose();
    throw new Error(candidates.length ? "cannot show this scene: " + reasons.join("; ") : "none of this scene's files can be shown");
  }
  return { kind: shown.kind, file: shown.file, dispose };
}
