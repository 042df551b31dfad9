namespace Fieldline.Routing; public static class Placeholder { }
