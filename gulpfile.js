const { src, dest } = require('gulp');

/** Copies node and credential icons (and codex files' neighbours) next to the compiled code. */
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
