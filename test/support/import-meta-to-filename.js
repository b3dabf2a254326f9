// Jest on Node 20 cannot require() ES modules, and NestJS 12 ships only ES modules, so jest.config.js
// compiles those packages to CommonJS for the test run. They use import.meta.url only to build a
// createRequire(), which accepts a plain file path too, so __filename is an exact substitute.
module.exports = ({ types: t }) => ({
  visitor: {
    MemberExpression(path) {
      const { object, property } = path.node;
      if (t.isMetaProperty(object) && object.meta.name === 'import' && property.name === 'url') {
        path.replaceWith(t.identifier('__filename'));
      }
    },
  },
});
