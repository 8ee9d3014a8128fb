// jweixin (npm weixin-js-sdk) is a CommonJS module: give it `module` to export wx into.
window.module = window.module || { exports: {} };
