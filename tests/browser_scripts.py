"""JavaScript that tests/test_browser.py runs in the JupyterLab page.

The page is a JupyterLab started with ``expose_app_in_browser``, so ``window.jupyterapp``
is the application: its commands are the ones behind the menus, and the open notebook's
model says what each cell produced. What a learner sees is read from the page itself.
``window.__panel`` is the notebook under test.
"""

LAB_LOADED = "() => window.jupyterapp !== undefined"

# Once the layout is restored, commands such as opening a notebook can run.
LAB_RESTORED = "async () => { await window.jupyterapp.restored; }"

OPEN_NOTEBOOK = """
(path) => {
    window.__panel = null;
    window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'})
        .then(panel => { window.__panel = panel; });
}
"""

OPENED_NOTEBOOK = "() => window.__panel !== null"

# The kernel is shut down first, so closing asks nothing (a running notebook would).
CLOSE_NOTEBOOK = """
async () => {
    const panel = window.__panel;
    if (!panel) return;
    await panel.sessionContext.shutdown();
    panel.dispose();
    window.__panel = null;
}
"""

KERNEL_READY = """
async () => {
    const panel = window.__panel;
    await panel.context.ready;
    await panel.sessionContext.ready;
    return panel.sessionContext.session.kernel.name;
}
"""

KERNEL_IDLE = """
() => {
    const kernel = window.__panel.sessionContext.session?.kernel;
    return kernel?.status === 'idle';
}
"""

# The same command as Run > Run All Cells. Its promise resolves when every cell has
# replied; the test polls for that, so a hung cell meets a timeout instead of hanging.
RUN_ALL = """
() => {
    window.__ranAll = null;
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(ok => { window.__ranAll = ok; });
}
"""

RAN_ALL = "() => window.__ranAll !== null"

WIDGETS_SETTLED = """
() => ![...window.__panel.node.querySelectorAll('.jp-OutputArea-output')]
    .some(output => output.textContent.startsWith('Loading widget'))
"""

# Every output the kernel sent is on the page. Outputs arrive on another channel than
# the replies that end Run All, and a busy browser renders images a moment later.
OUTPUTS_RENDERED = """
() => window.__panel.content.widgets.every(cell => {
    if (cell.model.type !== 'code') return true;
    const area = cell.node.querySelector('.jp-Cell-outputArea');
    const nodes = area ? area.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output') : [];
    return nodes.length === cell.model.outputs.length;
})
"""

# Everything a learner would call broken, cell by cell. Cells tagged raises-exception
# may show an error, as in JupyterLab's Run All and in nbval.
INSPECT = """
() => {
    // textContent, not innerText: innerText is empty for cells the browser has not laid
    // out yet (JupyterLab skips off-screen cells with content-visibility).
    const placeholders = ['Loading widget', 'Error displaying widget'];
    const problems = [];
    window.__panel.content.widgets.forEach((cell, index) => {
        if (cell.model.type !== 'code') return;
        const source = cell.model.sharedModel.getSource().split('\\n');
        const where = `cell ${index} (${source.find(line => line.trim() && !line.startsWith('# NBVAL')) || ''})`;
        const errorsAllowed = (cell.model.getMetadata('tags') || []).includes('raises-exception');
        if (cell.model.executionCount === null) problems.push(`${where} was not run`);
        const outputs = cell.model.outputs.toJSON();
        const area = cell.node.querySelector('.jp-Cell-outputArea');
        const nodes = area ? area.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output') : [];
        if (nodes.length !== outputs.length)
            problems.push(`${where}: ${outputs.length} outputs in the notebook, ${nodes.length} on the page`);
        outputs.forEach((output, k) => {
            if (output.output_type === 'error' && !errorsAllowed)
                problems.push(`${where} raised ${output.ename}: ${output.evalue}`);
            const view = output.data && output.data['application/vnd.jupyter.widget-view+json'];
            if (!view || view.model_id === '' || !nodes[k]) return;
            const rendered = nodes[k].querySelector('.jupyter-widgets');
            const text = nodes[k].textContent;
            if (!rendered || rendered.getBoundingClientRect().height === 0
                || placeholders.some(p => text.startsWith(p)))
                problems.push(`${where}: widget view ${k} not rendered: ${JSON.stringify(text.slice(0, 120))}`);
        });
        if (!area) return;
        // Red boxes a learner sees, including those inside widget Output areas
        // (interactive_figure shows a failing callback there).
        if (!errorsAllowed) area.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(
            node => problems.push(`${where} shows stderr: ${JSON.stringify(node.textContent.slice(-300))}`));
        placeholders.forEach(p => {
            if (area.textContent.includes(p)) problems.push(`${where} shows "${p}"`);
        });
    });
    return problems;
}
"""

# Marks every slider handle with data-browser-test-slider=<n> and describes it.
FIND_SLIDERS = """
() => {
    const panel = window.__panel;
    const sliders = [];
    panel.content.widgets.forEach((cell, index) => {
        cell.node.querySelectorAll('.widget-slider .noUi-handle').forEach(handle => {
            const slider = handle.closest('.widget-slider');
            handle.setAttribute('data-browser-test-slider', sliders.length);
            sliders.push({
                cell: index,
                label: slider.querySelector('.widget-label')?.textContent.trim() || `slider ${sliders.length}`,
                atMax: handle.getAttribute('aria-valuenow') === handle.getAttribute('aria-valuemax'),
            });
        });
    });
    return sliders;
}
"""

# Before a key press on slider n: remember its readout and the images of its cell, and
# time from the keydown to the first frame painted after a changed image has decoded.
# A traceback appearing in the cell ends the wait early.
ARM_SLIDER_PROBE = """
(n) => {
    const handle = document.querySelector(`[data-browser-test-slider="${n}"]`);
    const slider = handle.closest('.widget-slider');
    const cell = handle.closest('.jp-Cell');
    const area = cell.querySelector('.jp-Cell-outputArea');
    const images = () => [...area.querySelectorAll('img')];
    const before = images().map(img => img.src);
    const probe = {
        readoutBefore: slider.querySelector('.widget-readout')?.textContent.trim(),
        imagesBefore: before.length, imagesInNotebook: document.querySelectorAll('.jp-Notebook img').length,
        pressedAt: null, latency: null, failed: false,
    };
    handle.addEventListener('keydown', () => { probe.pressedAt = performance.now(); },
                            {capture: true, once: true});
    let seen = false;
    const observer = new MutationObserver(() => {
        if (seen || probe.pressedAt === null) return;
        // interactive_figure shows a failing callback's traceback instead of redrawing
        probe.failed = area.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]') !== null;
        const changed = images().find((img, k) => img.src !== before[k]);
        if (!changed) return;
        seen = true;
        observer.disconnect();
        changed.decode().catch(() => {}).then(() => requestAnimationFrame(() => {
            probe.latency = performance.now() - probe.pressedAt;
        }));
    });
    observer.observe(area, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    window.__sliderProbe = probe;
}
"""

REDRAWN_OR_FAILED = "() => window.__sliderProbe.latency !== null || window.__sliderProbe.failed"

SLIDER_RESULT = """
(n) => {
    const handle = document.querySelector(`[data-browser-test-slider="${n}"]`);
    const cell = handle.closest('.jp-Cell');
    return Object.assign({}, window.__sliderProbe, {
        readoutAfter: handle.closest('.widget-slider').querySelector('.widget-readout')?.textContent.trim(),
        imagesAfter: cell.querySelectorAll('.jp-Cell-outputArea img').length,
        imagesInNotebookAfter: document.querySelectorAll('.jp-Notebook img').length,
        stderr: [...cell.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(node => node.textContent.slice(-400)),
    });
}
"""

# How much taller than the viewport the notebook is, so a screenshot can show all of it.
NOTEBOOK_OVERFLOW = """
() => {
    const root = window.__panel.content.node;
    const scroller = [root, ...root.querySelectorAll('*')]
        .find(node => node.scrollHeight > node.clientHeight + 1
              && ['auto', 'scroll'].includes(getComputedStyle(node).overflowY));
    window.__notebookScroller = scroller || null;
    return scroller ? scroller.scrollHeight - scroller.clientHeight : 0;
}
"""

# After the window has grown: back to the first cell, then two frames for layout and paint.
SCROLLED_TO_TOP = """
() => new Promise(done => {
    if (window.__notebookScroller) window.__notebookScroller.scrollTop = 0;
    requestAnimationFrame(() => requestAnimationFrame(done));
})
"""
