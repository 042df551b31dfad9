namespace Fieldline.Tests; public class Placeholder { [Fact] public void Two_plus_two_is_four() => Assert.Equal(4, 2 + 2); }
