// Images: upload files or add by URL, delete, and reorder by dragging (or
// with the arrow buttons). Each change shows at once and is undone if the
// server refuses it.

import { h, mount } from '/assets/common/dom.js';
import { toast } from '/assets/common/toast.js';
import { icon } from '/assets/common/icons.js';

export function imagesSection(session, { rerender }) {
  const rest = session.rest;
  let imgs = [...(session.draft().images || [])];
  const list = h('ul.image-list', { 'aria-label': 'Images, in shop order' });

  const write = async (optimistic, op, what) => {
    const before = imgs;
    imgs = optimistic;
    draw();
    try {
      const rec = await session.run(op);
      session.adopt(rec);
      imgs = [...(session.draft().images || [])];
      draw();
      rerender('images');
    } catch (e) {
      imgs = before;
      draw();
      toast(`Could not ${what}: ${e.detail || e.message}`, { error: true });
    }
  };

  const reorder = (from, to) => {
    if (to < 0 || to >= imgs.length || from === to) return;
    const next = [...imgs];
    const [m] = next.splice(from, 1);
    next.splice(to, 0, m);
    write(next, () => rest.reorderImages(session.id, next.map((i) => i.id)), 'reorder the images');
  };

  let dragFrom = null;
  function draw() {
    mount(list, imgs.length ? imgs.map((im, i) => h('li.image-item', {
      draggable: 'true', 'data-image-id': im.id, 'data-pending': im.pending ? 'true' : undefined,
      ondragstart: (e) => { dragFrom = i; e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', im.id); },
      ondragover: (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; },
      ondrop: (e) => { e.preventDefault(); if (dragFrom !== null) reorder(dragFrom, i); dragFrom = null; },
    },
    h('img', { src: im.url, alt: im.alt || `Image ${i + 1}` }),
    h('div.image-tools',
      h('span.drag-handle', { 'aria-hidden': 'true', title: 'Drag to reorder' }, '⠿'),
      h('button.icon-btn.move-left', { type: 'button', 'aria-label': `Move image ${i + 1} earlier`, disabled: i === 0, onclick: () => reorder(i, i - 1) }, '←'),
      h('button.icon-btn.move-right', { type: 'button', 'aria-label': `Move image ${i + 1} later`, disabled: i === imgs.length - 1, onclick: () => reorder(i, i + 1) }, '→'),
      h('button.icon-btn.delete-image', { type: 'button', 'aria-label': `Delete image ${i + 1}`,
        onclick: () => write(imgs.filter((x) => x.id !== im.id), () => rest.deleteImage(session.id, im.id), 'delete the image') }, icon('trash', { size: 16 })))))
      : h('li.empty.small', 'No images yet.'));
  }
  draw();

  const urlInput = h('input', { id: 'image-url', type: 'url', placeholder: 'https://…/photo.jpg', name: 'image-url' });
  const addUrl = () => {
    const url = urlInput.value.trim();
    if (!url) return;
    urlInput.value = '';
    write([...imgs, { id: `pending-${Date.now()}`, url, alt: '', pending: true }],
      () => rest.addImage(session.id, { url }), 'add the image');
  };
  const file = h('input.sr-only', { id: 'image-file', type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', multiple: true,
    onchange: async (e) => {
      for (const f of [...e.target.files]) {
        await write([...imgs, { id: `pending-${Date.now()}`, url: URL.createObjectURL(f), alt: f.name, pending: true }],
          () => rest.addImage(session.id, f, { alt: f.name.replace(/\.[^.]+$/, '') }), 'upload the image');
      }
      e.target.value = '';
    } });

  return h('div.images',
    list,
    h('div.row.image-add',
      h('label.btn', { for: 'image-file' }, 'Upload images…'), file,
      h('label.sr-only', { for: 'image-url' }, 'Image URL'),
      h('div.grow', urlInput),
      h('button.btn.add-image-url', { type: 'button', onclick: addUrl }, 'Add URL')));
}
