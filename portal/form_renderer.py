"""The project's form renderer: Django's, with widget attributes that keep the HTML valid."""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class ValidHtmlBoundField(BoundField):
    """Leaves out two attributes Django 5.2 adds where HTML forbids them (the Nu Html Checker
    finds both in Django admin): aria-describedby on a hidden input, such as a field's hidden
    initial value, and disabled on a read-only widget drawn as a <div> (the password hash)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            attrs.pop("aria-describedby", None)
        if getattr(widget, "read_only", False):
            attrs.pop("disabled", None)
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = ValidHtmlBoundField
